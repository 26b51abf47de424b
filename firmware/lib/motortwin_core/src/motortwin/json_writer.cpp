#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "motortwin/json.h"

namespace mt::json {

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return v == 0 ? "0" : buf;  // no "-0"
  }
  // Shortest precision that reads back exactly, so 72.4 stays "72.4" and not "72.400000000000006".
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string write(const Value& v) {
  switch (v.type) {
    case Type::Null: return "null";
    case Type::Bool: return v.boolean ? "true" : "false";
    case Type::Number: return number(v.number);
    case Type::String: return quote(v.text);
    case Type::Array: {
      std::string out = "[";
      for (size_t i = 0; i < v.items.size(); ++i) out += (i ? "," : "") + write(v.items[i]);
      return out + "]";
    }
    case Type::Object: {
      ObjectWriter w;
      for (size_t i = 0; i < v.items.size(); ++i) w.raw(v.keys[i], write(v.items[i]));
      return w.finish();
    }
  }
  return "null";
}

void ObjectWriter::key(std::string_view k) {
  if (out_.size() > 1) out_ += ',';
  out_ += quote(k);
  out_ += ':';
}

ObjectWriter& ObjectWriter::str(std::string_view k, std::string_view v) {
  key(k);
  out_ += quote(v);
  return *this;
}

ObjectWriter& ObjectWriter::num(std::string_view k, double v) {
  key(k);
  out_ += number(v);
  return *this;
}

ObjectWriter& ObjectWriter::null(std::string_view k) {
  key(k);
  out_ += "null";
  return *this;
}

ObjectWriter& ObjectWriter::boolean(std::string_view k, bool v) {
  key(k);
  out_ += v ? "true" : "false";
  return *this;
}

ObjectWriter& ObjectWriter::raw(std::string_view k, std::string_view json) {
  key(k);
  out_ += json;
  return *this;
}

std::string ObjectWriter::finish() {
  out_ += '}';
  return std::move(out_);
}

}  // namespace mt::json
