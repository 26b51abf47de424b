#pragma once
// Field checks shared by the message and command decoders. Each failure is worded "<keyword>: <field>: why",
// with the keywords decode.ts uses (missing, type, range, device_id, ...) so the golden vectors can name them.
#include <string>
#include <string_view>

#include "motortwin/json.h"

namespace mt {

class FieldReader {
 public:
  explicit FieldReader(const json::Value& obj) : obj_(obj) {}

  const json::Value& object() const { return obj_; }
  const json::Value* get(std::string_view key) const { return obj_.get(key); }
  bool has(std::string_view key) const { return obj_.get(key) != nullptr; }

  bool fail(std::string_view keyword, std::string_view field, std::string_view why);
  const std::string& reason() const { return reason_; }

  /** A required or optional string of `min`-`max` characters; `present` says whether it was there. */
  bool text(std::string_view key, bool required, size_t min, size_t max, std::string& out, bool* present = nullptr);
  /** A finite number, required or optional. */
  bool number(std::string_view key, bool required, double& out, bool* present = nullptr);
  /** An integer within [min, max]. */
  bool integer(std::string_view key, bool required, double min, double max, double& out, bool* present = nullptr);
  /** A string that must be one of `options` (separated by '|'); a wrong or missing one fails with `keyword`. */
  bool oneOf(std::string_view key, std::string_view options, std::string_view keyword, std::string& out);
  bool deviceId(bool required, std::string& out);

 private:
  const json::Value& obj_;
  std::string reason_;
};

/** Cuts a string to at most `max` bytes without splitting a UTF-8 sequence. */
std::string truncateUtf8(std::string_view s, size_t max);

}  // namespace mt
