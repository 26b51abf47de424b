#include "motortwin/velocity.h"

#include <algorithm>
#include <cmath>

namespace mt {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kStandardGravityMmS2 = 9806.65;
}  // namespace

Band velocityBand(double sample_rate_hz, double sensor_bandwidth_hz) {
  return {10.0, std::min({1000.0, sensor_bandwidth_hz, 0.45 * sample_rate_hz})};
}

void fft(std::vector<std::complex<float>>& a) {
  const size_t n = a.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const double angle = -2 * kPi / static_cast<double>(len);
    const std::complex<float> step(static_cast<float>(std::cos(angle)), static_cast<float>(std::sin(angle)));
    for (size_t i = 0; i < n; i += len) {
      std::complex<float> w(1, 0);
      for (size_t k = 0; k < len / 2; ++k) {
        std::complex<float> u = a[i + k], v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        w *= step;
      }
    }
  }
}

VelocityEstimator::VelocityEstimator(size_t n) : buf_(n), window_(n) {
  for (size_t i = 0; i < n; ++i) {
    // Hann: keeps a tone's energy in a few neighbouring lines instead of leaking it across the spectrum,
    // where the 1/f weighting of low lines would inflate it.
    double w = 0.5 - 0.5 * std::cos(2 * kPi * static_cast<double>(i) / static_cast<double>(n));
    window_[i] = static_cast<float>(w);
    window_power_ += w * w;
  }
}

double VelocityEstimator::rmsMmPerS(const double* accel_g, double fs, Band band) {
  const size_t n = buf_.size();
  double mean = 0;
  for (size_t i = 0; i < n; ++i) mean += accel_g[i];
  mean /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) buf_[i] = {static_cast<float>((accel_g[i] - mean) * window_[i]), 0.0f};
  fft(buf_);
  // Parseval with the window's power: mean square = 2 / (n · Σw²) · Σ|X_k|² over one side of the spectrum.
  double sum = 0;
  for (size_t k = 1; k < n / 2; ++k) {
    double f = static_cast<double>(k) * fs / static_cast<double>(n);
    if (f < band.low_hz || f > band.high_hz) continue;
    double v = std::abs(buf_[k]) * kStandardGravityMmS2 / (2 * kPi * f);
    sum += v * v;
  }
  return std::sqrt(2 * sum / (static_cast<double>(n) * window_power_));
}

}  // namespace mt
