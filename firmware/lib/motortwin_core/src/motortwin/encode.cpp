#include "motortwin/base64.h"
#include "motortwin/json.h"
#include "motortwin/messages.h"
#include "motortwin/time.h"

namespace mt {

const char* kindName(Kind k) {
  switch (k) {
    case Kind::Telemetry: return "telemetry";
    case Kind::Status: return "status";
    case Kind::Waveform: return "waveform";
    case Kind::Ack: return "ack";
    case Kind::Log: return "log";
  }
  return "";
}

const char* readingName(Reading r) {
  static const char* const kNames[kReadingCount] = {"temperature", "vibration", "rpm",   "ambient", "current",  "vib_velocity",
                                                    "vib_peak",    "vib_x",     "vib_y", "vib_z",   "uptime_s", "rssi"};
  return kNames[static_cast<int>(r)];
}

const char* ackStatusName(AckStatus s) {
  switch (s) {
    case AckStatus::Received: return "received";
    case AckStatus::Applied: return "applied";
    case AckStatus::Rejected: return "rejected";
    case AckStatus::Expired: return "expired";
  }
  return "";
}

std::string topicFor(const std::string& device_id, const char* suffix) { return "factory/" + device_id + "/" + suffix; }

namespace {

json::ObjectWriter start(Kind k, Framing f) {
  json::ObjectWriter w;
  if (f == Framing::Serial) w.str("type", kindName(k));
  return w;
}

void optionalText(json::ObjectWriter& w, const char* key, const OptionalText& t) {
  if (t.state == OptionalText::State::Set) w.str(key, t.value);
  else if (t.state == OptionalText::State::Null) w.null(key);
}

}  // namespace

std::string encodeTelemetry(const std::string& device_id, const Telemetry& t, Framing f) {
  auto w = start(Kind::Telemetry, f);
  w.str("device_id", device_id);
  if (t.timestamp_ms >= 0) w.str("timestamp", formatIso8601(t.timestamp_ms));
  if (t.seq >= 0) w.num("seq", t.seq);
  for (int i = 0; i < kReadingCount; ++i) {
    auto r = static_cast<Reading>(i);
    if (t.has(r)) w.num(readingName(r), t.get(r));  // NaN is written as null
  }
  return w.finish();
}

std::string encodeStatus(const Status& s, Framing f) {
  auto w = start(Kind::Status, f);
  w.str("device_id", s.device_id).str("state", s.online ? "online" : "offline");
  if (!s.fw.empty()) w.str("fw", s.fw);
  if (!s.board.empty()) w.str("board", s.board);
  optionalText(w, "calibration_id", s.calibration_id);
  if (s.timestamp_ms >= 0) w.str("timestamp", formatIso8601(s.timestamp_ms));
  if (!s.sensors_json.empty()) w.raw("sensors", s.sensors_json);
  if (!s.errors_json.empty()) w.raw("errors", s.errors_json);
  return w.finish();
}

std::string encodeWaveform(const Waveform& wf, Framing f) {
  auto w = start(Kind::Waveform, f);
  w.str("device_id", wf.device_id);
  if (wf.timestamp_ms >= 0) w.str("timestamp", formatIso8601(wf.timestamp_ms));
  w.str("axis", std::string(1, wf.axis))
      .num("sample_rate_hz", wf.sample_rate_hz)
      .num("scale_g_per_lsb", wf.scale_g_per_lsb)
      .str("encoding", "int16le-base64")
      .str("samples", wf.samples);
  if (wf.seq >= 0) w.num("seq", wf.seq);
  return w.finish();
}

std::string encodeAck(const Ack& a, Framing f) {
  auto w = start(Kind::Ack, f);
  optionalText(w, "id", a.id);
  w.str("status", ackStatusName(a.status));
  if (a.has_detail) w.str("detail", a.detail);
  if (!a.device_id.empty()) w.str("device_id", a.device_id);
  return w.finish();
}

std::string encodeLog(const Log& l, Framing f) {
  auto w = start(Kind::Log, f);
  w.str("level", l.level).str("msg", l.msg);
  if (!l.device_id.empty()) w.str("device_id", l.device_id);
  return w.finish();
}

}  // namespace mt
