#include "support.h"

#include <doctest/doctest.h>

#include "motortwin/time.h"

namespace test {

using mt::json::Type;
using mt::json::Value;

bool jsonEqual(const Value& a, const Value& b, const std::string& key) {
  if (key == "timestamp" && a.is(Type::String) && b.is(Type::String)) {
    int64_t ta = 0, tb = 0;
    return mt::parseIso8601(a.text, ta) && mt::parseIso8601(b.text, tb) && ta == tb;
  }
  if (a.type != b.type) return false;
  switch (a.type) {
    case Type::Null: return true;
    case Type::Bool: return a.boolean == b.boolean;
    case Type::Number: return a.number == b.number;
    case Type::String: return a.text == b.text;
    case Type::Array:
      if (a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i)
        if (!jsonEqual(a.items[i], b.items[i])) return false;
      return true;
    case Type::Object:
      if (a.keys.size() != b.keys.size()) return false;
      for (size_t i = 0; i < a.keys.size(); ++i) {
        const Value* other = b.get(a.keys[i]);
        if (!other || !jsonEqual(a.items[i], *other, a.keys[i])) return false;
      }
      return true;
  }
  return false;
}

Value parseOrDie(const std::string& text) {
  mt::json::Parsed p = mt::json::parse(text);
  INFO(text);
  REQUIRE_MESSAGE(p.ok, p.error);
  return p.value;
}

bool FakePlatform::mqttPublish(const std::string& topic, const std::string& payload, bool retained, int qos) {
  if (!connected || !publish_ok) return false;
  published.push_back({topic, payload, retained, qos});
  return true;
}

bool FakePlatform::load(const char* key, std::string& value) {
  auto it = store.find(key);
  if (it == store.end()) return false;
  value = it->second;
  return true;
}

bool FakePlatform::save(const char* key, const std::string& value) {
  if (save_ok) store[key] = value;
  return save_ok;
}

std::vector<Value> FakePlatform::lines(const std::string& type) const {
  std::vector<Value> out;
  for (const auto& line : serial) {
    mt::json::Parsed p = mt::json::parse(line);
    if (!p.ok) continue;
    const Value* t = p.value.get("type");
    if (t && t->text == type) out.push_back(p.value);
  }
  return out;
}

std::vector<Published> FakePlatform::on(const std::string& topic) const {
  std::vector<Published> out;
  for (const auto& p : published)
    if (p.topic == topic) out.push_back(p);
  return out;
}

}  // namespace test
