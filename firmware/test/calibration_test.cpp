#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "motortwin/calibration.h"

namespace {
mt::CalibrateArgs temperature(double offset, double gain) {
  mt::CalibrateArgs a;
  a.sensor = mt::CalSensor::Temperature;
  a.offset = offset;
  a.gain = gain;
  return a;
}
}  // namespace

TEST_CASE("calibration: offset and gain apply to every reading") {
  mt::Calibration c;
  CHECK(c.temperature(72.4) == 72.4);
  std::string detail;
  mt::RawReadings now;
  now.temperature_c = 50;
  REQUIRE(mt::applyCalibration(temperature(-0.8, 1.02), now, "c-1", c, detail));
  CHECK(c.temperature(50) == doctest::Approx(50 * 1.02 - 0.8));
  CHECK(c.id == "c-1");
  CHECK(detail == "temperature calibration: gain 1.02, offset -0.8 C (c-1)");

  mt::CalibrateArgs accel;
  accel.sensor = mt::CalSensor::Accel;
  accel.zero[0] = 0.01;
  accel.zero[2] = -0.02;
  REQUIRE(mt::applyCalibration(accel, now, "c-2", c, detail));
  CHECK(c.accel(0, 0.5) == doctest::Approx(0.49));
  CHECK(c.accel(2, 1.0) == doctest::Approx(1.02));
  CHECK(c.temperature(50) == doctest::Approx(50.2));  // the temperature calibration stays

  mt::CalibrateArgs rpm;
  rpm.sensor = mt::CalSensor::Rpm;
  rpm.pulses_per_rev = 4;
  REQUIRE(mt::applyCalibration(rpm, now, "c-3", c, detail));
  CHECK(c.pulses_per_rev == 4);
}

TEST_CASE("calibration: one that would make readings absurd is refused and changes nothing") {
  mt::Calibration c;
  std::string detail;
  mt::RawReadings hot;
  hot.temperature_c = 110;
  CHECK_FALSE(mt::applyCalibration(temperature(20, 2), hot, "c-9", c, detail));
  CHECK(detail == "range: calibration would make readings absurd: temperature would read 240.0 C");
  CHECK(c.temp_gain == 1);
  CHECK(c.id.empty());

  mt::RawReadings cold;
  cold.temperature_c = -30;
  CHECK_FALSE(mt::applyCalibration(temperature(-20, 1), cold, "c-9", c, detail));

  // Gravity on z reads 1 g: a zero that leaves x reading 1.6 g is a typo, not a sensor offset.
  mt::RawReadings tilted;
  tilted.accel_mean_g[0] = 1.2;
  tilted.accel_mean_g[1] = 0;
  tilted.accel_mean_g[2] = 0;
  mt::CalibrateArgs accel;
  accel.sensor = mt::CalSensor::Accel;
  accel.zero[0] = -0.4;
  CHECK_FALSE(mt::applyCalibration(accel, tilted, "c-9", c, detail));
  CHECK(detail.find("static acceleration on x would read 1.60 g") != std::string::npos);

  mt::RawReadings fast;
  fast.pulse_hz = 2000;  // 120 000 rpm with one pulse per revolution
  mt::CalibrateArgs rpm;
  rpm.sensor = mt::CalSensor::Rpm;
  rpm.pulses_per_rev = 1;
  CHECK_FALSE(mt::applyCalibration(rpm, fast, "c-9", c, detail));
  rpm.pulses_per_rev = 2;
  CHECK(mt::applyCalibration(rpm, fast, "c-9", c, detail));

  // With the sensor missing there is nothing to contradict: the calibration is stored.
  CHECK(mt::applyCalibration(temperature(20, 2), mt::RawReadings{}, "c-10", c, detail));
}

TEST_CASE("calibration: ids as in PROTOCOL.md") {
  CHECK(mt::makeCalibrationId(1768386000000, 1) == "c-2026-01-14-01");
  CHECK(mt::makeCalibrationId(-1, 7) == "c-7");
}

TEST_CASE("calibration: NVS round trip, damaged or out-of-range documents refused") {
  mt::Calibration c;
  c.temp_offset = -0.8;
  c.temp_gain = 1.02;
  c.accel_zero[1] = -0.02;
  c.pulses_per_rev = 2;
  c.id = "c-2026-01-14-01";
  mt::Calibration back;
  REQUIRE(mt::calibrationFromJson(mt::calibrationToJson(c), back));
  CHECK(mt::calibrationToJson(back) == mt::calibrationToJson(c));
  mt::Calibration untouched;
  CHECK_FALSE(mt::calibrationFromJson("{\"id\":\"x\",\"temp_offset\":0,\"temp_gain\":9,\"accel_zero\":[0,0,0],\"pulses_per_rev\":1}", untouched));
  CHECK_FALSE(mt::calibrationFromJson("{\"id\":\"x\",\"temp_offset\":0,\"temp_gain\":1,\"accel_zero\":[0,0],\"pulses_per_rev\":1}", untouched));
  CHECK_FALSE(mt::calibrationFromJson("{\"id\":\"x\"", untouched));
  CHECK(untouched.temp_gain == 1);
}
