#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "motortwin/json.h"
#include "motortwin/time.h"

using mt::json::parse;
using mt::json::Type;

TEST_CASE("json: reads the protocol's objects") {
  auto p = parse(" {\"a\": 1.5, \"b\": [true, false, null], \"c\": \"x\\\"y\\u00e9\\ud83d\\ude00\", \"d\": {\"e\": -0.25e2}}\r\n");
  REQUIRE(p.ok);
  CHECK(p.value.get("a")->number == 1.5);
  CHECK(p.value.get("b")->items.size() == 3);
  CHECK(p.value.get("b")->items[2].is(Type::Null));
  CHECK(p.value.get("c")->text == "x\"y\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(p.value.get("d")->get("e")->number == -25);
  CHECK(p.value.get("missing") == nullptr);
}

TEST_CASE("json: strict where JSON.parse is strict, and stricter where a command could be ambiguous") {
  for (const char* bad : {"", "{", "{\"a\":1,}", "[1,]", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{'a':1}", "{\"a\":1} x",
                          "{\"a\":tru}", "{\"a\":\"tab\there\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{a:1}", "{\"a\":1 \"b\":2}",
                          "{\"a\":1,\"a\":2}"}) {
    CAPTURE(bad);
    auto p = parse(bad);
    CHECK_FALSE(p.ok);
    CHECK(p.error.rfind("json: ", 0) == 0);
  }
}

TEST_CASE("json: NaN and Infinity are refused with a hint, overflow becomes a non-finite number for the field checks") {
  auto p = parse("{\"t\":NaN}");
  CHECK_FALSE(p.ok);
  CHECK(p.error.find("send null for a missing reading") != std::string::npos);
  auto big = parse("{\"v\":1e999}");
  REQUIRE(big.ok);
  CHECK(std::isinf(big.value.get("v")->number));
}

TEST_CASE("json: bounded nesting and valid UTF-8 only") {
  std::string deep(16, '['), too_deep(17, '[');
  CHECK(parse(deep + std::string(16, ']')).ok);
  CHECK_FALSE(parse(too_deep + std::string(17, ']')).ok);
  CHECK(parse("\"\xC3\xA9\"").ok);
  CHECK(parse("\"\xC3\"").error == "json: payload is not valid UTF-8");
  CHECK_FALSE(parse("\"\xC0\xAF\"").ok);  // overlong "/"
  CHECK_FALSE(parse("\"\xED\xA0\x80\"").ok);  // a surrogate written as UTF-8
}

TEST_CASE("json: numbers are written in their shortest exact form") {
  CHECK(mt::json::number(72.4) == "72.4");
  CHECK(mt::json::number(0.034) == "0.034");
  CHECK(mt::json::number(1480) == "1480");
  CHECK(mt::json::number(-0.0) == "0");
  CHECK(mt::json::number(0.1 + 0.2) == "0.30000000000000004");
  CHECK(mt::json::number(6.103515625e-05) == "6.103515625e-05");
  CHECK(mt::json::number(NAN) == "null");
  CHECK(mt::json::number(INFINITY) == "null");
  for (double v : {3.14159, 1e-300, 123456789.123, -2.5e20}) CHECK(std::strtod(mt::json::number(v).c_str(), nullptr) == v);
}

TEST_CASE("json: strings are escaped and the writer round-trips") {
  CHECK(mt::json::quote("a\"b\\c\nd\x01") == "\"a\\\"b\\\\c\\nd\\u0001\"");
  std::string text = "{\"a\":[1,\"x\",null,true],\"b\":{\"c\":-1.5}}";
  CHECK(mt::json::write(parse(text).value) == text);
  CHECK(mt::json::ObjectWriter().str("k", "v").num("n", 2).null("z").boolean("b", false).finish() == "{\"k\":\"v\",\"n\":2,\"z\":null,\"b\":false}");
}

TEST_CASE("time: ISO 8601 both ways") {
  int64_t ms = 0;
  REQUIRE(mt::parseIso8601("2026-01-15T10:15:00Z", ms));
  CHECK(ms == 1768472100000);
  CHECK(mt::formatIso8601(ms) == "2026-01-15T10:15:00Z");
  CHECK(mt::formatIso8601(ms + 250) == "2026-01-15T10:15:00.250Z");
  REQUIRE(mt::parseIso8601("2026-01-15T11:15:00.5+01:00", ms));
  CHECK(ms == 1768472100500);
  REQUIRE(mt::parseIso8601("2024-02-29T23:59:59-00:30", ms));
  CHECK(mt::formatIso8601(ms) == "2024-03-01T00:29:59Z");
  CHECK(mt::formatIso8601(0) == "1970-01-01T00:00:00Z");
  for (const char* bad : {"soon", "2026-01-15", "2026-01-15T10:15:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-15T24:00:00Z",
                          "2026-01-15T10:15:00Zjunk", "2026-01-15 10:15:00Z", "2026-01-15T10:15:00.Z", "2025-02-29T00:00:00Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(mt::parseIso8601(bad, ms));
  }
}
