// RMS, peak, crest factor and velocity from synthetic sine waves of known amplitude and frequency.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "motortwin/base64.h"
#include "motortwin/mpu6050.h"
#include "motortwin/velocity.h"
#include "motortwin/vibration.h"

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kFs = 1000;

std::vector<double> sine(size_t n, double amplitude_g, double hz, double offset_g = 0, double phase = 0) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = offset_g + amplitude_g * std::sin(2 * kPi * hz * static_cast<double>(i) / kFs + phase);
  return v;
}

/** Velocity RMS in mm/s of a sine of `a` g at `f` Hz: a·g / (2πf) / √2. */
double expectedVelocity(double a, double f) { return a * 9806.65 / (2 * kPi * f) / std::sqrt(2.0); }

}  // namespace

TEST_CASE("vibration: RMS per axis and combined, gravity removed") {
  auto x = sine(1000, 0.5, 50), y = sine(1000, 0.2, 120), z = sine(1000, 0.0, 0, 1.0);
  const double* axes[3] = {x.data(), y.data(), z.data()};
  mt::VibrationSummary s = mt::summarize(axes, 1000);
  CHECK(s.rms[0] == doctest::Approx(0.5 / std::sqrt(2.0)).epsilon(1e-3));
  CHECK(s.rms[1] == doctest::Approx(0.2 / std::sqrt(2.0)).epsilon(1e-3));
  CHECK(s.rms[2] == doctest::Approx(0).epsilon(1e-9));
  CHECK(s.mean[2] == doctest::Approx(1.0));
  CHECK(s.rms_combined == doctest::Approx(std::sqrt(0.125 + 0.02)).epsilon(1e-3));
}

TEST_CASE("vibration: peak and crest factor") {
  auto x = sine(1000, 0.3, 50), flat = std::vector<double>(1000, 0.0), z = std::vector<double>(1000, 1.0);
  const double* axes[3] = {x.data(), flat.data(), z.data()};
  mt::VibrationSummary s = mt::summarize(axes, 1000);
  CHECK(s.peak == doctest::Approx(0.3).epsilon(1e-3));
  CHECK(s.crest() == doctest::Approx(std::sqrt(2.0)).epsilon(1e-3));

  // An impact every 100 ms on a quiet signal: the crest factor of a bearing defect.
  std::vector<double> impacts = sine(1000, 0.01, 50);
  for (size_t i = 0; i < 1000; i += 100) impacts[i] += 0.5;
  const double* hit[3] = {impacts.data(), flat.data(), z.data()};
  CHECK(mt::summarize(hit, 1000).crest() > 5);
}

TEST_CASE("vibration: no samples is no reading (NaN, sent as null), never zero") {
  const double* axes[3] = {nullptr, nullptr, nullptr};
  mt::VibrationSummary s = mt::summarize(axes, 0);
  CHECK(std::isnan(s.rms_combined));
  CHECK(std::isnan(s.peak));
  CHECK(std::isnan(s.crest()));
}

TEST_CASE("velocity: a sine of known amplitude and frequency gives a·g/(2πf)/√2 mm/s") {
  mt::VelocityEstimator v(1024);
  mt::Band band = mt::velocityBand(kFs, 260);
  for (double f : {15.0, 24.7, 50.0, 100.0, 159.155, 233.0}) {
    CAPTURE(f);
    auto a = sine(1024, 0.1, f, 1.0, 0.3);  // on top of gravity, arbitrary phase
    CHECK(v.rmsMmPerS(a.data(), kFs, band) == doctest::Approx(expectedVelocity(0.1, f)).epsilon(0.02));
  }
  // 0.1 g at 50 Hz: 2.21 mm/s RMS, a motor in good order (ISO 20816 zone A/B).
  auto a = sine(1024, 0.1, 50);
  CHECK(v.rmsMmPerS(a.data(), kFs, band) == doctest::Approx(2.2074).epsilon(0.01));
}

TEST_CASE("velocity: only the band the sensor sees counts") {
  mt::VelocityEstimator v(1024);
  mt::Band band = mt::velocityBand(kFs, 184);
  CHECK(band.low_hz == 10);
  CHECK(band.high_hz == 184);
  CHECK(mt::velocityBand(kFs, 260).high_hz == 260);
  CHECK(mt::velocityBand(kFs, 5000).high_hz == doctest::Approx(450));
  CHECK(mt::velocityBand(4000, 5000).high_hz == 1000);
  auto slow = sine(1024, 0.1, 3);     // below 10 Hz: drift and tilt, not vibration
  auto fast = sine(1024, 0.1, 300);   // beyond the DLPF
  CHECK(v.rmsMmPerS(slow.data(), kFs, band) < 0.05 * expectedVelocity(0.1, 3));
  CHECK(v.rmsMmPerS(fast.data(), kFs, band) < 0.05 * expectedVelocity(0.1, 300));
  // Two tones add as the root of the sum of squares.
  auto two = sine(1024, 0.1, 50);
  auto other = sine(1024, 0.05, 120);
  for (size_t i = 0; i < two.size(); ++i) two[i] += other[i];
  double expected = std::hypot(expectedVelocity(0.1, 50), expectedVelocity(0.05, 120));
  CHECK(v.rmsMmPerS(two.data(), kFs, band) == doctest::Approx(expected).epsilon(0.02));
}

TEST_CASE("fft: a cosine lands in its bin") {
  std::vector<std::complex<float>> buf(64);
  for (size_t i = 0; i < 64; ++i) buf[i] = {static_cast<float>(std::cos(2 * kPi * 5 * static_cast<double>(i) / 64)), 0};
  mt::fft(buf);
  CHECK(std::abs(buf[5]) == doctest::Approx(32).epsilon(1e-4));
  CHECK(std::abs(buf[59]) == doctest::Approx(32).epsilon(1e-4));
  CHECK(std::abs(buf[6]) < 1e-3);
}

TEST_CASE("history: the newest samples, oldest first, across the wrap") {
  mt::SampleHistory h(4);
  for (int16_t i = 1; i <= 6; ++i) h.push(i, static_cast<int16_t>(-i), 0);
  CHECK(h.size() == 4);
  int16_t out[3];
  h.latest(0, 3, out);
  CHECK(out[0] == 4);
  CHECK(out[2] == 6);
  h.latest(1, 3, out);
  CHECK(out[0] == -4);
}

TEST_CASE("waveform samples: the calibration zero comes off, clamped to int16") {
  const int16_t raw[] = {100, -32768, 32767, 0};
  const double scale = 2.0 / 32768;
  CHECK(mt::waveformSamples(raw, 4, scale, 0) == mt::encodeInt16LeBase64(raw, 4));
  const int16_t shifted[] = {100 - 164, -32768, 32767 - 164, -164};  // 0.01 g = 163.84 counts
  CHECK(mt::waveformSamples(raw, 4, scale, 0.01) == mt::encodeInt16LeBase64(shifted, 4));
}

TEST_CASE("mpu6050: register values for rate, range and low-pass filter") {
  mt::Mpu6050Setup s;
  REQUIRE(mt::mpu6050Setup(1000, 2, 0, s));
  CHECK(s.smplrt_div == 7);  // 8 kHz gyro rate with the DLPF off
  CHECK(s.config == 0);
  CHECK(s.accel_config == 0x00);
  CHECK(s.scale_g_per_lsb == 0.00006103515625);  // PROTOCOL.md's example scale
  CHECK(s.bandwidth_hz == 260);
  REQUIRE(mt::mpu6050Setup(1000, 16, 3, s));
  CHECK(s.smplrt_div == 0);
  CHECK(s.accel_config == 0x18);
  CHECK(s.bandwidth_hz == 44);
  REQUIRE(mt::mpu6050Setup(500, 4, 1, s));
  CHECK(s.smplrt_div == 1);
  CHECK(s.scale_g_per_lsb == 4.0 / 32768);
  CHECK_FALSE(mt::mpu6050Setup(1000, 3, 0, s));
  CHECK_FALSE(mt::mpu6050Setup(1000, 2, 7, s));
  CHECK_FALSE(mt::mpu6050Setup(333, 2, 1, s));
  CHECK_FALSE(mt::mpu6050Setup(2000, 2, 0, s));
}
