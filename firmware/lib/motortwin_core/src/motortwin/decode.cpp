#include <cmath>

#include "motortwin/base64.h"
#include "motortwin/fields.h"
#include "motortwin/json.h"
#include "motortwin/limits.h"
#include "motortwin/messages.h"
#include "motortwin/time.h"

namespace mt {

namespace {

bool fail(Decoded& d, std::string reason) {
  d.ok = false;
  d.reason = std::move(reason);
  return false;
}

bool timestampField(FieldReader& f, std::string& text, bool& present) { return f.text("timestamp", false, 0, 64, text, &present); }

bool parseTimestamp(Decoded& d, bool present, const std::string& text, int64_t& out) {
  if (!present) return true;
  if (!parseIso8601(text, out)) return fail(d, "timestamp: \"" + truncateUtf8(text, 40) + "\" is not an ISO 8601 time");
  return true;
}

bool telemetry(FieldReader& f, Decoded& d) {
  auto& t = d.message.telemetry;
  std::string ts;
  bool has_ts = false, has_seq = false;
  double seq = 0;
  if (!f.deviceId(true, d.message.device_id) || !timestampField(f, ts, has_ts) || !f.integer("seq", false, 0, 9007199254740991.0, seq, &has_seq))
    return false;
  if (has_seq) t.seq = seq;
  for (int i = 0; i < kReadingCount; ++i) {
    auto r = static_cast<Reading>(i);
    const json::Value* v = f.get(readingName(r));
    if (!v) continue;
    if (v->is(json::Type::Null)) t.setNull(r);
    else if (v->is(json::Type::Number) && std::isfinite(v->number)) t.set(r, v->number);
    else return f.fail("type", readingName(r), "must be a number or null");
  }
  return parseTimestamp(d, has_ts, ts, t.timestamp_ms);
}

bool status(FieldReader& f, Decoded& d) {
  auto& s = d.message.status;
  std::string state, ts, calibration;
  bool has_ts = false, has_cal = false;
  if (!f.deviceId(true, s.device_id) || !f.oneOf("state", "online|offline", "type", state) || !f.text("fw", false, 0, 64, s.fw) ||
      !f.text("board", false, 0, 64, s.board))
    return false;
  s.online = state == "online";
  const json::Value* cal = f.get("calibration_id");
  if (cal && cal->is(json::Type::Null)) s.calibration_id = OptionalText::null();
  else if (!f.text("calibration_id", false, 0, 128, calibration, &has_cal)) return false;
  else if (has_cal) s.calibration_id = OptionalText::of(calibration);
  if (!timestampField(f, ts, has_ts)) return false;
  const json::Value* sensors = f.get("sensors");
  if (sensors && !sensors->is(json::Type::Object)) return f.fail("type", "sensors", "must be an object");
  if (sensors) s.sensors_json = json::write(*sensors);
  const json::Value* errors = f.get("errors");
  if (errors && !errors->is(json::Type::Array)) return f.fail("type", "errors", "must be an array");
  if (errors) s.errors_json = json::write(*errors);
  return parseTimestamp(d, has_ts, ts, s.timestamp_ms);
}

bool waveform(FieldReader& f, Decoded& d) {
  auto& w = d.message.waveform;
  std::string ts, axis, encoding;
  bool has_ts = false, has_seq = false;
  double seq = 0;
  if (!f.deviceId(true, w.device_id) || !timestampField(f, ts, has_ts) || !f.oneOf("axis", "x|y|z", "type", axis) ||
      !f.number("sample_rate_hz", true, w.sample_rate_hz))
    return false;
  if (w.sample_rate_hz <= 0 || w.sample_rate_hz > 1e6) return f.fail("range", "sample_rate_hz", "sample_rate_hz must be positive, at most 1 MHz");
  if (!f.number("scale_g_per_lsb", true, w.scale_g_per_lsb)) return false;
  if (w.scale_g_per_lsb <= 0) return f.fail("range", "scale_g_per_lsb", "scale_g_per_lsb must be positive");
  if (!f.oneOf("encoding", "int16le-base64", "encoding", encoding) || !f.text("samples", true, 1, kMaxPayloadBytes, w.samples) ||
      !f.integer("seq", false, 0, 9007199254740991.0, seq, &has_seq))
    return false;
  w.axis = axis[0];
  if (has_seq) w.seq = seq;
  if (!parseTimestamp(d, has_ts, ts, w.timestamp_ms)) return false;
  size_t count = 0;
  std::string reason;
  return waveformSampleCount(w.samples, count, reason) || fail(d, reason);
}

bool ack(FieldReader& f, Decoded& d) {
  auto& a = d.message.ack;
  std::string id, st;
  bool has_id = false;
  const json::Value* v = f.get("id");
  if (v && v->is(json::Type::Null)) a.id = OptionalText::null();
  else if (!f.text("id", false, 1, 128, id, &has_id)) return false;
  else if (has_id) a.id = OptionalText::of(id);
  if (!f.oneOf("status", "received|applied|rejected|expired", "status", st) || !f.text("detail", false, 0, 1024, a.detail, &a.has_detail) ||
      !f.deviceId(false, a.device_id))
    return false;
  static const AckStatus kStatuses[] = {AckStatus::Received, AckStatus::Applied, AckStatus::Rejected, AckStatus::Expired};
  for (AckStatus s : kStatuses)
    if (st == ackStatusName(s)) a.status = s;
  return true;
}

bool log(FieldReader& f, Decoded& d) {
  auto& l = d.message.log;
  if (f.has("level") && !f.oneOf("level", "debug|info|warn|error", "type", l.level)) return false;
  return f.text("msg", true, 0, 4096, l.msg) && f.deviceId(false, l.device_id);
}

const std::string& payloadDeviceId(const DeviceMessage& m) {
  switch (m.kind) {
    case Kind::Status: return m.status.device_id;
    case Kind::Waveform: return m.waveform.device_id;
    case Kind::Ack: return m.ack.device_id;
    case Kind::Log: return m.log.device_id;
    case Kind::Telemetry: break;
  }
  return m.device_id;
}

Decoded decodeObject(Kind kind, const json::Value& obj, const std::string& topic_device_id) {
  Decoded d;
  d.message.kind = kind;
  FieldReader f(obj);
  // The timestamp is checked after the topic, as decode.ts does, so the reasons agree on messages with both faults.
  auto check = [&]() {
    switch (kind) {
      case Kind::Telemetry: return telemetry(f, d);
      case Kind::Status: return status(f, d);
      case Kind::Waveform: return waveform(f, d);
      case Kind::Ack: return ack(f, d);
      case Kind::Log: return log(f, d);
    }
    return false;
  };
  bool ok = check();
  if (!f.reason().empty()) return fail(d, f.reason()), d;
  const std::string& id = payloadDeviceId(d.message);
  if (!topic_device_id.empty() && !id.empty() && id != topic_device_id) {
    fail(d, "topic: device_id \"" + id + "\" does not match the topic's device \"" + topic_device_id + "\"");
    return d;
  }
  d.ok = ok;
  return d;
}

bool sizeOk(std::string_view raw, Decoded& d) {
  if (raw.size() <= kMaxPayloadBytes) return true;
  return fail(d, "size: payload of " + std::to_string(raw.size()) + " bytes exceeds the " + std::to_string(kMaxPayloadBytes) + "-byte limit");
}

}  // namespace

Decoded decodeDeviceMessage(Kind kind, std::string_view raw, const std::string& topic_device_id) {
  Decoded d;
  if (!sizeOk(raw, d)) return d;
  if (kind == Kind::Status && !topic_device_id.empty()) {
    // The MQTT last will is often the bare word: it is the status it names.
    std::string_view bare = raw;
    while (!bare.empty() && (bare.front() == ' ' || bare.front() == '\n' || bare.front() == '\r' || bare.front() == '\t')) bare.remove_prefix(1);
    while (!bare.empty() && (bare.back() == ' ' || bare.back() == '\n' || bare.back() == '\r' || bare.back() == '\t')) bare.remove_suffix(1);
    if (bare == "offline" || bare == "online") {
      d.ok = true;
      d.message.kind = Kind::Status;
      d.message.status.device_id = topic_device_id;
      d.message.status.online = bare == "online";
      return d;
    }
  }
  json::Parsed p = json::parse(raw);
  if (!p.ok) return fail(d, p.error), d;
  if (!p.value.is(json::Type::Object)) return fail(d, "json: payload must be a JSON object"), d;
  return decodeObject(kind, p.value, topic_device_id);
}

DecodedLine decodeSerialLine(std::string_view line, const std::string& expected_device_id) {
  DecodedLine out;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty() || line.front() != '{') return out;  // boot ROM banner, debug prints: console text
  out.kind = LineKind::Rejected;
  if (!sizeOk(line, out.decoded)) return out;
  json::Parsed p = json::parse(line);
  if (!p.ok) return fail(out.decoded, p.error), out;
  const json::Value* type = p.value.get("type");
  static const Kind kKinds[] = {Kind::Telemetry, Kind::Status, Kind::Waveform, Kind::Ack, Kind::Log};
  for (Kind k : kKinds) {
    if (!type || !type->is(json::Type::String) || type->text != kindName(k)) continue;
    json::Value rest = p.value;
    for (size_t i = 0; i < rest.keys.size(); ++i) {
      if (rest.keys[i] != "type") continue;
      rest.keys.erase(rest.keys.begin() + static_cast<long>(i));
      rest.items.erase(rest.items.begin() + static_cast<long>(i));
      break;
    }
    out.decoded = decodeObject(k, rest, expected_device_id);
    if (out.decoded.ok) out.kind = LineKind::Message;
    return out;
  }
  fail(out.decoded, "type: \"type\" must be one of telemetry, status, waveform, ack, log");
  return out;
}

}  // namespace mt
