#include "motortwin/commands.h"

#include <cmath>

#include "motortwin/fields.h"
#include "motortwin/json.h"
#include "motortwin/limits.h"

namespace mt {

namespace {

struct ActionInfo {
  const char* name;
  Action action;
};
const ActionInfo kActions[] = {
    {"REDUCE_LOAD", Action::ReduceLoad}, {"SET_SPEED", Action::SetSpeed}, {"STOP", Action::Stop},         {"START", Action::Start},
    {"IDENTIFY", Action::Identify},      {"SET_RATE", Action::SetRate},   {"CALIBRATE", Action::Calibrate}, {"REBOOT", Action::Reboot},
    {"WAVEFORM", Action::Waveform},      {"CONFIG", Action::Config},
};

bool fail(CommandResult& r, std::string reason) {
  r.reason = std::move(reason);
  return false;
}

/** A number in [min, max]; `exclusive_min` for "must be > min". */
bool ranged(FieldReader& f, const char* key, double min, double max, bool exclusive_min, const std::string& why, double& out) {
  if (!f.number(key, true, out)) return false;
  if (out < min || out > max || (exclusive_min && out == min)) return f.fail("range", key, why);
  return true;
}

bool calibrate(FieldReader& f, CalibrateArgs& c) {
  std::string sensor;
  if (!f.oneOf("sensor", "temperature|accel|rpm", "action", sensor)) return false;
  if (sensor == "temperature") {
    c.sensor = CalSensor::Temperature;
    bool has_gain = false;
    if (!ranged(f, "offset", -kMaxTempOffset, kMaxTempOffset, false, "temperature offset out of range ±20 C", c.offset)) return false;
    if (!f.number("gain", false, c.gain, &has_gain)) return false;
    if (!has_gain) c.gain = 1;
    if (c.gain < kMinTempGain || c.gain > kMaxTempGain) return f.fail("range", "gain", "temperature gain out of range 0.5-2.0");
    return true;
  }
  if (sensor == "accel") {
    c.sensor = CalSensor::Accel;
    const json::Value* zero = f.get("zero");
    if (!zero) return f.fail("missing", "zero", "is required");
    if (!zero->is(json::Type::Array)) return f.fail("type", "zero", "must be an array of 3 numbers");
    if (zero->items.size() != 3) return f.fail("range", "zero", "must hold exactly 3 numbers (x, y, z in g)");
    for (int i = 0; i < 3; ++i) {
      const json::Value& v = zero->items[static_cast<size_t>(i)];
      if (!v.is(json::Type::Number) || !std::isfinite(v.number)) return f.fail("type", "zero." + std::to_string(i), "must be a finite number");
      c.zero[i] = v.number;
    }
    for (double z : c.zero)
      if (std::fabs(z) > kMaxAccelZeroG) return f.fail("range", "zero", "accel zero out of range ±0.5 g");
    return true;
  }
  c.sensor = CalSensor::Rpm;
  double ppr = 0;
  if (!f.integer("pulses_per_rev", true, 1, kMaxPulsesPerRev, ppr)) return false;
  c.pulses_per_rev = static_cast<int>(ppr);
  return true;
}

bool waveformArgs(FieldReader& f, WaveformArgs& w) {
  std::string axis;
  if (f.has("axis")) {
    if (!f.oneOf("axis", "x|y|z", "type", axis)) return false;
    w.axis = axis[0];
  }
  double n = 0;
  bool has = false;
  if (!f.integer("samples", false, kMinWaveformSamples, kMaxWaveformSamples, n, &has)) return false;
  if (has && (static_cast<int>(n) & (static_cast<int>(n) - 1))) return f.fail("range", "samples", "samples must be 1024, 2048 or 4096");
  w.samples = has ? static_cast<int>(n) : 0;
  return true;
}

bool body(FieldReader& f, Transport transport, Command& c) {
  std::string action;
  // The action decides everything else, so it is checked first, as commands.ts's discriminated union does.
  const json::Value* a = f.get("action");
  bool known = false;
  for (const auto& info : kActions) {
    if (a && a->is(json::Type::String) && a->text == info.name) c.action = info.action, known = true;
  }
  if (!known) return f.fail("action", "action", "unknown action: must be one of REDUCE_LOAD, SET_SPEED, STOP, START, IDENTIFY, SET_RATE, CALIBRATE, REBOOT");
  if (c.action == Action::Config && transport != Transport::Serial)
    return f.fail("action", "action", "CONFIG is accepted only over USB serial");
  if (c.action == Action::Calibrate && !(f.get("sensor") && f.get("sensor")->is(json::Type::String) &&
                                         (f.get("sensor")->text == "temperature" || f.get("sensor")->text == "accel" || f.get("sensor")->text == "rpm")))
    return f.fail("action", "sensor", "CALIBRATE needs sensor \"temperature\", \"accel\" or \"rpm\"");
  if (!f.text("issued_at", false, 0, 64, c.issued_at) || !f.text("expires_at", false, 0, 64, c.expires_at)) return false;
  switch (c.action) {
    case Action::ReduceLoad:
      return ranged(f, "value", 0, kMaxReduceLoadPct, false, "REDUCE_LOAD value out of range 0-50 %", c.value);
    case Action::SetSpeed:
      return ranged(f, "value", 0, kMaxSpeedRpm, true, "SET_SPEED value out of range (rpm must be > 0, at most 100000)", c.value);
    case Action::SetRate:
      return ranged(f, "value", kMinRateHz, kMaxRateHz, false, "SET_RATE value out of range 1-10 Hz", c.value);
    case Action::Stop:
    case Action::Start:
    case Action::Identify:
    case Action::Reboot:
      return !f.has("value") || f.fail("type", "value", "takes no value");
    case Action::Calibrate:
      return calibrate(f, c.calibrate);
    case Action::Waveform:
      return waveformArgs(f, c.waveform);
    case Action::Config:
      return parseConfigUpdate(f, c.config);
  }
  return false;
}

}  // namespace

const char* actionName(Action a) {
  for (const auto& info : kActions)
    if (info.action == a) return info.name;
  return "";
}

CommandResult decodeCommand(std::string_view raw, Transport transport) {
  CommandResult r;
  if (raw.size() > kMaxCommandBytes) {
    fail(r, "size: command of " + std::to_string(raw.size()) + " bytes exceeds the " + std::to_string(kMaxCommandBytes) + "-byte limit");
    return r;
  }
  json::Parsed p = json::parse(raw);
  if (!p.ok) return fail(r, p.error), r;
  if (!p.value.is(json::Type::Object)) return fail(r, "json: payload must be a JSON object"), r;
  FieldReader f(p.value);
  // The id first, whatever else is wrong, so even a rejection can be matched to its command.
  const json::Value* id = f.get("id");
  bool id_ok = !id || (id->is(json::Type::String) && !id->text.empty() && id->text.size() <= 128);
  if (id) r.command.id = id_ok ? OptionalText::of(id->text) : OptionalText::null();
  const json::Value* type = f.get("type");
  bool is_command = type && type->is(json::Type::String) && type->text == "command";
  if (transport == Transport::Serial && !is_command) return fail(r, "type: \"type\" must be \"command\" for a line sent to the device"), r;
  std::string ignored;
  if (!body(f, transport, r.command) || !f.text("id", false, 1, 128, ignored)) return fail(r, f.reason()), r;
  r.ok = true;
  return r;
}

}  // namespace mt
