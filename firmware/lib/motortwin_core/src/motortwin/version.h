#pragma once
// The firmware version; the build id comes from the build (scripts/build_id.py), "dev" otherwise.
#define MT_FW_VERSION "1.0.0"
#ifndef MT_BUILD_ID
#define MT_BUILD_ID "dev"
#endif

namespace mt {
/** Semantic version with build metadata, "1.0.0+20260115.a1b2c3d": what the status and banner report. */
inline const char* firmwareVersion() { return MT_FW_VERSION "+" MT_BUILD_ID; }
}  // namespace mt
