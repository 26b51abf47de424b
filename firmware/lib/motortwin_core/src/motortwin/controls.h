#pragma once
// What the closed loop sets: run/stop, the speed set-point and load reduction behind the analog output, and
// the telemetry rate. Kept in NVS so a reboot (watchdog, power blip) comes back to what was last commanded:
// a motor stopped for maintenance must not restart because its sensor board did.
#include <cmath>
#include <string>

namespace mt {

struct Controls {
  bool running = true;
  double speed_rpm = NAN;  // NaN: never set, the nameplate speed (full scale)
  double reduce_pct = 0;
  double rate_hz = 1;

  /** The analog output, 0-1 of full scale: set-point over nameplate, less the load reduction; 0 when stopped. */
  double outputFraction(double rated_rpm) const;
};

std::string controlsToJson(const Controls& c);
/** False (and `c` untouched) when the stored text is damaged or out of range. */
bool controlsFromJson(const std::string& text, Controls& c);

}  // namespace mt
