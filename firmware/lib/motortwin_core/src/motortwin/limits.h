#pragma once
// Bounds of the device protocol (PROTOCOL.md; the same numbers as src/shared/protocol/limits.ts) and the
// device's own, narrower ones.
#include <cstddef>
#include <string_view>

namespace mt {

/** The protocol's largest message (limits.ts MAX_PAYLOAD_BYTES). */
constexpr size_t kMaxPayloadBytes = 64 * 1024;
/** The longest command the device reads: a real command is under 300 bytes, and RAM is small. */
constexpr size_t kMaxCommandBytes = 1024;
constexpr size_t kMaxDeviceIdLength = 64;

/** 1-64 letters, digits, "_", "-", "." starting with a letter or digit: safe inside an MQTT topic. */
bool isValidDeviceId(std::string_view id);

}  // namespace mt
