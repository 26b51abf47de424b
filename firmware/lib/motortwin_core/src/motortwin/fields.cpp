#include "motortwin/fields.h"

#include <cmath>

#include "motortwin/limits.h"

namespace mt {

bool isValidDeviceId(std::string_view id) {
  if (id.empty() || id.size() > kMaxDeviceIdLength) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '-' && c != '.'))) return false;
  }
  return true;
}

std::string truncateUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut));
}

bool FieldReader::fail(std::string_view keyword, std::string_view field, std::string_view why) {
  if (reason_.empty()) {
    reason_ = std::string(keyword) + ": ";
    if (!field.empty()) reason_ += std::string(field) + ": ";
    reason_ += why;
  }
  return false;
}

bool FieldReader::text(std::string_view key, bool required, size_t min, size_t max, std::string& out, bool* present) {
  const json::Value* v = get(key);
  if (present) *present = v != nullptr;
  if (!v) return !required || fail("missing", key, "is required");
  if (!v->is(json::Type::String)) return fail("type", key, "must be a string");
  if (v->text.size() < min) return fail("range", key, "is too short");
  if (v->text.size() > max) return fail("range", key, "is too long (at most " + std::to_string(max) + ")");
  out = v->text;
  return true;
}

bool FieldReader::number(std::string_view key, bool required, double& out, bool* present) {
  const json::Value* v = get(key);
  if (present) *present = v != nullptr;
  if (!v) return !required || fail("missing", key, "is required");
  if (!v->is(json::Type::Number) || !std::isfinite(v->number)) return fail("type", key, "must be a finite number");
  out = v->number;
  return true;
}

bool FieldReader::integer(std::string_view key, bool required, double min, double max, double& out, bool* present) {
  bool here = false;
  double v = 0;
  if (!number(key, required, v, &here)) return false;
  if (present) *present = here;
  if (!here) return true;
  if (v != std::floor(v)) return fail("type", key, std::string(key) + " must be an integer");
  if (v < min || v > max) return fail("range", key, std::string(key) + " out of range " + json::number(min) + "-" + json::number(max));
  out = v;
  return true;
}

bool FieldReader::oneOf(std::string_view key, std::string_view options, std::string_view keyword, std::string& out) {
  const json::Value* v = get(key);
  if (v && v->is(json::Type::String) && v->text.find('|') == std::string::npos) {
    size_t pos = 0;
    while (pos <= options.size()) {
      size_t end = options.find('|', pos);
      if (end == std::string_view::npos) end = options.size();
      if (options.substr(pos, end - pos) == v->text) {
        out = v->text;
        return true;
      }
      pos = end + 1;
    }
  }
  std::string list(options);
  for (char& c : list)
    if (c == '|') c = ',';
  return fail(keyword, key, std::string(key) + " must be one of " + list);
}

bool FieldReader::deviceId(bool required, std::string& out) {
  const json::Value* v = get("device_id");
  if (!v) return !required || fail("missing", "device_id", "is required");
  if (!v->is(json::Type::String)) return fail("device_id", "device_id", "device_id must be a string");
  if (!isValidDeviceId(v->text))
    return fail("device_id", "device_id", "device_id must be 1-64 letters, digits, \"_\", \"-\" or \".\" (no \"/\", \"+\", \"#\")");
  out = v->text;
  return true;
}

}  // namespace mt
