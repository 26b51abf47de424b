#pragma once
// Vibration velocity (mm/s RMS, the ISO 20816 quantity) from acceleration, integrated in the frequency domain:
// each spectral line of acceleration a(f) becomes a(f) / (2πf), summed only over the band the sensor really
// sees. Integrating in the time domain instead would amplify the accelerometer's low-frequency drift without
// bound; dividing by 2πf with a 10 Hz lower edge is what vibration meters do.
#include <complex>
#include <cstddef>
#include <vector>

namespace mt {

struct Band {
  double low_hz;
  double high_hz;
};

/**
 * ISO 20816's 10-1000 Hz, cut to what the sensor delivers: below the anti-alias (DLPF) bandwidth and below
 * Nyquist with a margin.
 */
Band velocityBand(double sample_rate_hz, double sensor_bandwidth_hz);

class VelocityEstimator {
 public:
  /** `n`: the block length, a power of two (1024 at 1 kHz resolves 1 Hz). Buffers are allocated once here. */
  explicit VelocityEstimator(size_t n);
  size_t size() const { return buf_.size(); }
  /** RMS velocity in mm/s of `size()` acceleration samples in g over `band`. */
  double rmsMmPerS(const double* accel_g, double sample_rate_hz, Band band);

 private:
  std::vector<std::complex<float>> buf_;
  std::vector<float> window_;
  double window_power_ = 0;  // sum of w²: undoes the Hann window's loss of energy
};

/** In-place radix-2 FFT; n = buf.size() must be a power of two. */
void fft(std::vector<std::complex<float>>& buf);

}  // namespace mt
