#pragma once
// ISO 8601 / RFC 3339 times as the protocol writes them ("2026-01-15T10:15:00Z"), without the C library's
// time zone state (which differs between newlib on the ESP32 and glibc here).
#include <cstdint>
#include <string>
#include <string_view>

namespace mt {

/** UTC with milliseconds only when there are some: "2026-01-15T10:15:00Z", "2026-01-15T10:15:00.250Z". */
std::string formatIso8601(int64_t epoch_ms);

/** Reads YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM). False for anything else. */
bool parseIso8601(std::string_view text, int64_t& epoch_ms);

}  // namespace mt
