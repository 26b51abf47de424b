#include "motortwin/controls.h"

#include <algorithm>

#include "motortwin/commands.h"
#include "motortwin/fields.h"
#include "motortwin/json.h"

namespace mt {

double Controls::outputFraction(double rated_rpm) const {
  if (!running) return 0;
  double speed = std::isnan(speed_rpm) ? rated_rpm : speed_rpm;
  return std::clamp(speed / rated_rpm * (1 - reduce_pct / 100), 0.0, 1.0);
}

std::string controlsToJson(const Controls& c) {
  json::ObjectWriter w;
  w.boolean("running", c.running);
  if (!std::isnan(c.speed_rpm)) w.num("speed_rpm", c.speed_rpm);
  return w.num("reduce_pct", c.reduce_pct).num("rate_hz", c.rate_hz).finish();
}

bool controlsFromJson(const std::string& text, Controls& c) {
  json::Parsed p = json::parse(text);
  if (!p.ok || !p.value.is(json::Type::Object)) return false;
  FieldReader f(p.value);
  Controls next;
  const json::Value* running = f.get("running");
  bool has_speed = false;
  if (!running || !running->is(json::Type::Bool) || !f.number("speed_rpm", false, next.speed_rpm, &has_speed) ||
      !f.number("reduce_pct", true, next.reduce_pct) || !f.number("rate_hz", true, next.rate_hz))
    return false;
  next.running = running->boolean;
  if (!has_speed) next.speed_rpm = NAN;
  if ((has_speed && (next.speed_rpm <= 0 || next.speed_rpm > kMaxSpeedRpm)) || next.reduce_pct < 0 || next.reduce_pct > kMaxReduceLoadPct ||
      next.rate_hz < kMinRateHz || next.rate_hz > kMaxRateHz)
    return false;
  c = next;
  return true;
}

}  // namespace mt
