// The golden vectors of resources/protocol-vectors/, shared with src/shared/protocol/vectors.test.ts: the core
// must decide every one as the TypeScript decoder does, and what its encoders write must be what the vectors
// call valid.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "motortwin/base64.h"
#include "motortwin/commands.h"
#include "motortwin/messages.h"
#include "motortwin/time.h"
#include "support.h"

using mt::json::Type;
using mt::json::Value;

namespace {

std::filesystem::path vectorDir() {
  const char* dir = std::getenv("MT_VECTOR_DIR");
  return dir ? dir : "../resources/protocol-vectors";
}

struct Vector {
  std::string file, description, kind, transport, topic, raw, reason;
  bool valid = false;
  const Value* expected = nullptr;
};

std::vector<Value> loadFiles() {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(vectorDir()))
    if (e.path().extension() == ".json") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<Value> files;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files.push_back(test::parseOrDie(ss.str()));
    files.back().text = p.filename().string();  // the file name rides along for messages
  }
  return files;
}

std::vector<Vector> vectors(const std::vector<Value>& files) {
  std::vector<Vector> out;
  for (const Value& f : files) {
    for (const Value& v : f.items) {
      Vector x;
      x.file = f.text;
      auto str = [&](const char* k) { return v.get(k) && v.get(k)->is(Type::String) ? v.get(k)->text : std::string(); };
      x.description = str("description");
      x.kind = str("kind");
      x.transport = str("transport");
      x.topic = str("topic");
      x.raw = str("raw");
      x.reason = str("reason");
      x.valid = v.get("valid") && v.get("valid")->boolean;
      x.expected = v.get("expected");
      out.push_back(x);
    }
  }
  return out;
}

/** The command as commands.ts's zod schema returns it, to compare with "expected". */
std::string commandJson(const mt::Command& c) {
  mt::json::ObjectWriter w;
  if (c.id.state == mt::OptionalText::State::Set) w.str("id", c.id.value);
  if (!c.issued_at.empty()) w.str("issued_at", c.issued_at);
  if (!c.expires_at.empty()) w.str("expires_at", c.expires_at);
  w.str("action", mt::actionName(c.action));
  switch (c.action) {
    case mt::Action::ReduceLoad:
    case mt::Action::SetSpeed:
    case mt::Action::SetRate: w.num("value", c.value); break;
    case mt::Action::Calibrate: {
      const auto& k = c.calibrate;
      if (k.sensor == mt::CalSensor::Temperature) w.str("sensor", "temperature").num("offset", k.offset).num("gain", k.gain);
      if (k.sensor == mt::CalSensor::Accel)
        w.str("sensor", "accel").raw("zero", "[" + mt::json::number(k.zero[0]) + "," + mt::json::number(k.zero[1]) + "," + mt::json::number(k.zero[2]) + "]");
      if (k.sensor == mt::CalSensor::Rpm) w.str("sensor", "rpm").num("pulses_per_rev", k.pulses_per_rev);
      break;
    }
    default: break;
  }
  return w.finish();
}

mt::Kind kindFromName(const std::string& name) {
  for (mt::Kind k : {mt::Kind::Telemetry, mt::Kind::Status, mt::Kind::Waveform, mt::Kind::Ack, mt::Kind::Log})
    if (name == mt::kindName(k)) return k;
  FAIL("unknown kind " << name);
  return mt::Kind::Log;
}

/** "factory/<id>/<suffix>" as topics.ts parseTopic reads it. */
bool parseTopic(const std::string& topic, std::string& id, std::string& kind) {
  const std::string root = "factory/";
  if (topic.compare(0, root.size(), root) != 0) return false;
  size_t slash = topic.find('/', root.size());
  if (slash == std::string::npos) return false;
  id = topic.substr(root.size(), slash - root.size());
  std::string suffix = topic.substr(slash + 1);
  kind = suffix == "commands/ack" ? "ack" : suffix;
  return !id.empty() && (kind == "telemetry" || kind == "status" || kind == "waveform" || kind == "ack");
}

std::string encode(const mt::DeviceMessage& m, mt::Framing f) {
  switch (m.kind) {
    case mt::Kind::Telemetry: return mt::encodeTelemetry(m.device_id, m.telemetry, f);
    case mt::Kind::Status: return mt::encodeStatus(m.status, f);
    case mt::Kind::Waveform: return mt::encodeWaveform(m.waveform, f);
    case mt::Kind::Ack: return mt::encodeAck(m.ack, f);
    case mt::Kind::Log: return mt::encodeLog(m.log, f);
  }
  return "";
}

void checkCommand(const Vector& v) {
  auto transport = v.transport == "serial" ? mt::Transport::Serial : mt::Transport::Mqtt;
  mt::CommandResult r = mt::decodeCommand(v.raw, transport);
  INFO("core reason: " << r.reason);
  CHECK(r.ok == v.valid);
  if (r.ok != v.valid) return;
  if (!v.valid) {
    CHECK(r.reason.find(v.reason) != std::string::npos);
    return;
  }
  std::string mine = commandJson(r.command);
  INFO("core decoded: " << mine);
  CHECK(test::jsonEqual(test::parseOrDie(mine), *v.expected));
}

void checkDeviceMessage(const Vector& v) {
  mt::Decoded d;
  if (v.transport == "mqtt") {
    std::string id, kind;
    CHECK((parseTopic(v.topic, id, kind) && kind == v.kind));
    if (kind != v.kind) return;
    d = mt::decodeDeviceMessage(kindFromName(kind), v.raw, id);
  } else {
    mt::DecodedLine line = mt::decodeSerialLine(v.raw, "");
    CHECK(line.kind != mt::LineKind::Text);
    d = line.decoded;
  }
  INFO("core reason: " << d.reason);
  CHECK(d.ok == v.valid);
  if (d.ok != v.valid) return;
  if (!v.valid) {
    CHECK(d.reason.find(v.reason) != std::string::npos);
    return;
  }
  CHECK(mt::kindName(d.message.kind) == v.kind);
  // What the core's encoder writes for this message is exactly the payload the TypeScript decoder returned...
  std::string mqtt = encode(d.message, mt::Framing::Mqtt);
  INFO("core encoded: " << mqtt);
  CHECK(v.expected);
  if (!v.expected) return;
  CHECK(test::jsonEqual(test::parseOrDie(mqtt), *v.expected->get("payload")));
  // ...and its serial form decodes again to the same message.
  mt::DecodedLine again = mt::decodeSerialLine(encode(d.message, mt::Framing::Serial), "");
  CHECK(again.kind == mt::LineKind::Message);
  CHECK(encode(again.decoded.message, mt::Framing::Mqtt) == mqtt);
}

}  // namespace

TEST_CASE("golden vectors: the core agrees with the TypeScript decoder on every one") {
  std::vector<Value> files = loadFiles();
  std::vector<Vector> all = vectors(files);
  REQUIRE(all.size() >= 100);
  for (const char* kind : {"telemetry", "status", "waveform", "ack", "log", "command"}) {
    CHECK(std::count_if(all.begin(), all.end(), [&](const Vector& v) { return v.kind == kind && v.valid; }) > 0);
    CHECK(std::count_if(all.begin(), all.end(), [&](const Vector& v) { return v.kind == kind && !v.valid; }) > 0);
  }
  for (const Vector& v : all) {
    CAPTURE(v.file);
    CAPTURE(v.description);
    if (v.kind == "command") {
      CHECK(v.transport.size() > 0);
      checkCommand(v);
    } else {
      checkDeviceMessage(v);
    }
  }
}

TEST_CASE("golden vectors: the waveform encoder writes the sine block byte for byte") {
  std::vector<int16_t> sine(1024);
  for (size_t i = 0; i < sine.size(); ++i) sine[i] = static_cast<int16_t>(std::lround(1000 * std::sin(2 * M_PI * 50 * static_cast<double>(i) / 1000)));
  std::vector<Value> files = loadFiles();
  int found = 0;
  for (const Vector& v : vectors(files)) {
    if (v.description.rfind("1024 samples of round(1000 sin", 0) != 0) continue;
    ++found;
    mt::Waveform w;
    w.device_id = "motor_01";
    mt::parseIso8601("2026-01-15T10:19:58Z", w.timestamp_ms);
    w.sample_rate_hz = 1000;
    w.scale_g_per_lsb = 2.0 / 32768;
    w.samples = mt::encodeInt16LeBase64(sine.data(), sine.size());
    w.seq = 0;
    CHECK(test::jsonEqual(test::parseOrDie(mt::encodeWaveform(w, mt::Framing::Mqtt)), *v.expected->get("payload")));
  }
  CHECK(found == 1);
}
