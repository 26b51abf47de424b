#pragma once
// A small, strict JSON reader and writer (RFC 8259) for the protocol's flat messages. The core needs it on the
// host without any library, and strictness is the point on a device that drives a motor: no NaN, no trailing
// commas, no duplicate keys, bounded nesting.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mt::json {

enum class Type : uint8_t { Null, Bool, Number, String, Array, Object };

struct Value {
  Type type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<Value> items;       // array elements, or object member values
  std::vector<std::string> keys;  // object member names, parallel to items

  const Value* get(std::string_view key) const;
  bool is(Type t) const { return type == t; }
};

struct Parsed {
  bool ok = false;
  Value value;
  std::string error;  // "json: ..." when !ok
};

constexpr int kMaxDepth = 16;

Parsed parse(std::string_view text);

/** The text as a JSON string literal, quotes included. */
std::string quote(std::string_view s);
/** The shortest text that reads back as v; integers without a fraction; non-finite as null. */
std::string number(double v);
/** Any value back to compact JSON. */
std::string write(const Value& v);

/** Builds one flat JSON object, member by member, in the order written. */
class ObjectWriter {
 public:
  ObjectWriter& str(std::string_view key, std::string_view v);
  ObjectWriter& num(std::string_view key, double v);
  ObjectWriter& null(std::string_view key);
  ObjectWriter& boolean(std::string_view key, bool v);
  /** A member whose value is already JSON text (a nested object or array). */
  ObjectWriter& raw(std::string_view key, std::string_view json);
  std::string finish();

 private:
  void key(std::string_view k);
  std::string out_ = "{";
};

}  // namespace mt::json
