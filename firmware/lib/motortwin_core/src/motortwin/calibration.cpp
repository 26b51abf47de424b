#include "motortwin/calibration.h"

#include <cmath>
#include <cstdio>

#include "motortwin/fields.h"
#include "motortwin/json.h"
#include "motortwin/time.h"

namespace mt {

namespace {

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

bool absurd(std::string& detail, const std::string& why) {
  detail = "range: calibration would make readings absurd: " + why;
  return false;
}

}  // namespace

bool applyCalibration(const CalibrateArgs& a, const RawReadings& now, const std::string& new_id, Calibration& cal, std::string& detail) {
  Calibration next = cal;
  switch (a.sensor) {
    case CalSensor::Temperature: {
      next.temp_gain = a.gain;
      next.temp_offset = a.offset;
      double t = next.temperature(now.temperature_c);
      if (!std::isnan(now.temperature_c) && (t < kMinPlausibleTempC || t > kMaxPlausibleTempC))
        return absurd(detail, "temperature would read " + fixed(t, 1) + " C");
      detail = "temperature calibration: gain " + json::number(a.gain) + ", offset " + json::number(a.offset) + " C";
      break;
    }
    case CalSensor::Accel: {
      for (int i = 0; i < 3; ++i) {
        next.accel_zero[i] = a.zero[i];
        double g = next.accel(i, now.accel_mean_g[i]);
        if (!std::isnan(now.accel_mean_g[i]) && std::fabs(g) > kMaxPlausibleStaticG)
          return absurd(detail, std::string("static acceleration on ") + "xyz"[i] + " would read " + fixed(g, 2) + " g");
      }
      detail = "accel zero " + json::number(a.zero[0]) + ", " + json::number(a.zero[1]) + ", " + json::number(a.zero[2]) + " g";
      break;
    }
    case CalSensor::Rpm: {
      next.pulses_per_rev = a.pulses_per_rev;
      double rpm = now.pulse_hz * 60 / a.pulses_per_rev;
      if (!std::isnan(now.pulse_hz) && rpm > kMaxPlausibleRpm) return absurd(detail, "shaft would turn at " + fixed(rpm, 0) + " rpm");
      detail = "rpm: " + std::to_string(a.pulses_per_rev) + " pulses per revolution";
      break;
    }
  }
  next.id = new_id;
  cal = next;
  detail += " (" + new_id + ")";
  return true;
}

std::string makeCalibrationId(int64_t epoch_ms, uint32_t counter) {
  char buf[40];
  if (epoch_ms < 0) {
    std::snprintf(buf, sizeof buf, "c-%u", static_cast<unsigned>(counter));
  } else {
    std::string day = formatIso8601(epoch_ms).substr(0, 10);
    std::snprintf(buf, sizeof buf, "c-%s-%02u", day.c_str(), static_cast<unsigned>(counter % 100));
  }
  return buf;
}

std::string calibrationToJson(const Calibration& c) {
  std::string zero = "[" + json::number(c.accel_zero[0]) + "," + json::number(c.accel_zero[1]) + "," + json::number(c.accel_zero[2]) + "]";
  return json::ObjectWriter()
      .str("id", c.id)
      .num("temp_offset", c.temp_offset)
      .num("temp_gain", c.temp_gain)
      .raw("accel_zero", zero)
      .num("pulses_per_rev", c.pulses_per_rev)
      .finish();
}

bool calibrationFromJson(const std::string& text, Calibration& c) {
  json::Parsed p = json::parse(text);
  if (!p.ok || !p.value.is(json::Type::Object)) return false;
  FieldReader f(p.value);
  Calibration next;
  double ppr = 1;
  const json::Value* zero = f.get("accel_zero");
  if (!f.text("id", true, 0, 128, next.id) || !f.number("temp_offset", true, next.temp_offset) || !f.number("temp_gain", true, next.temp_gain) ||
      !f.integer("pulses_per_rev", true, 1, kMaxPulsesPerRev, ppr) || !zero || !zero->is(json::Type::Array) || zero->items.size() != 3)
    return false;
  // Stored values pass the same bounds as a command, so damaged flash cannot smuggle in an absurd one.
  if (std::fabs(next.temp_offset) > kMaxTempOffset || next.temp_gain < kMinTempGain || next.temp_gain > kMaxTempGain) return false;
  for (int i = 0; i < 3; ++i) {
    const json::Value& z = zero->items[static_cast<size_t>(i)];
    if (!z.is(json::Type::Number) || std::fabs(z.number) > kMaxAccelZeroG) return false;
    next.accel_zero[i] = z.number;
  }
  next.pulses_per_rev = static_cast<int>(ppr);
  c = next;
  return true;
}

}  // namespace mt
