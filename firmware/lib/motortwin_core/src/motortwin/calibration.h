#pragma once
// Calibration: what CALIBRATE stores and every reading passes through. A calibration that would make the
// current readings absurd is refused before anything changes.
#include <cstdint>
#include <string>

#include "motortwin/commands.h"

namespace mt {

struct Calibration {
  double temp_offset = 0;  // °C, after the gain
  double temp_gain = 1;
  double accel_zero[3] = {0, 0, 0};  // g, subtracted per axis
  int pulses_per_rev = 1;
  std::string id;  // reported as the status's calibration_id; empty: factory defaults

  double temperature(double raw_c) const { return raw_c * temp_gain + temp_offset; }
  double accel(int axis, double raw_g) const { return raw_g - accel_zero[axis]; }
};

/** What the board reads now, so a new calibration can be checked against reality. NaN: not available. */
struct RawReadings {
  double temperature_c = NAN;
  double accel_mean_g[3] = {NAN, NAN, NAN};  // static (gravity) component per axis
  double pulse_hz = NAN;                     // hall pulses per second
};

// Beyond these a corrected reading is not a motor on this planet but a mistyped calibration.
constexpr double kMinPlausibleTempC = -40, kMaxPlausibleTempC = 200;
constexpr double kMaxPlausibleStaticG = 1.5;
constexpr double kMaxPlausibleRpm = 100000;

/**
 * Applies CALIBRATE's arguments to `cal` when the result is plausible: on success `cal` is the new
 * calibration (with `new_id`) and `detail` says what changed; on failure `cal` is untouched and `detail` is the
 * reason ("range: ...").
 */
bool applyCalibration(const CalibrateArgs& args, const RawReadings& now, const std::string& new_id, Calibration& cal, std::string& detail);

/** A calibration id as in PROTOCOL.md's example, "c-2026-01-14-01"; "c-<n>" without a clock. */
std::string makeCalibrationId(int64_t epoch_ms, uint32_t counter);

std::string calibrationToJson(const Calibration& c);
/** False (and `c` untouched) when the stored text is damaged or out of range. */
bool calibrationFromJson(const std::string& text, Calibration& c);

}  // namespace mt
