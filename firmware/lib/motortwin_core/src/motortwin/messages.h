#pragma once
// Device-to-host messages of PROTOCOL.md as plain structs, their encoders (this file's .cpp) and a decoder
// (decode.cpp) that applies the same checks as src/shared/protocol/decode.ts, so the shared golden vectors
// prove both sides agree.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace mt {

/** Over MQTT the topic names the kind; over serial the same payload carries "type" instead. */
enum class Framing : uint8_t { Mqtt, Serial };

enum class Kind : uint8_t { Telemetry, Status, Waveform, Ack, Log };
const char* kindName(Kind k);

/** The telemetry readings, in the order they are written. */
enum class Reading : uint8_t { temperature, vibration, rpm, ambient, current, vib_velocity, vib_peak, vib_x, vib_y, vib_z, uptime_s, rssi };
constexpr int kReadingCount = 12;
const char* readingName(Reading r);

/** A string field that may be absent, null or set (ack "id", status "calibration_id"). */
struct OptionalText {
  enum class State : uint8_t { Absent, Null, Set } state = State::Absent;
  std::string value;
  static OptionalText of(std::string v) { return {State::Set, std::move(v)}; }
  static OptionalText null() { return {State::Null, {}}; }
};

/**
 * One telemetry message without its device id (the ring buffer holds many, all from this board). Compact on
 * purpose: a reading is a double, null is NaN, and a bit says whether the field is sent at all.
 */
struct Telemetry {
  int64_t timestamp_ms = -1;  // < 0: no clock yet, so no "timestamp" and the host stamps arrival
  double seq = -1;            // < 0: absent
  double values[kReadingCount] = {};
  uint16_t present = 0;

  void set(Reading r, double v) { values[idx(r)] = v, present |= bit(r); }
  /** A reading the board could not take: sent as null, never as a made-up zero. */
  void setNull(Reading r) { set(r, NAN); }
  bool has(Reading r) const { return present & bit(r); }
  double get(Reading r) const { return values[idx(r)]; }

 private:
  static int idx(Reading r) { return static_cast<int>(r); }
  static uint16_t bit(Reading r) { return static_cast<uint16_t>(1u << idx(r)); }
};

struct Status {
  std::string device_id;
  bool online = true;
  std::string fw;     // empty: absent
  std::string board;  // empty: absent
  OptionalText calibration_id;
  int64_t timestamp_ms = -1;
  std::string sensors_json;  // a JSON object text ({"temperature":"ok",...}); empty: absent
  std::string errors_json;   // a JSON array text; empty: absent
};

struct Waveform {
  std::string device_id;
  int64_t timestamp_ms = -1;  // time of the first sample
  char axis = 'x';
  double sample_rate_hz = 0;
  double scale_g_per_lsb = 0;
  std::string samples;  // int16le-base64
  double seq = -1;
};

enum class AckStatus : uint8_t { Received, Applied, Rejected, Expired };
const char* ackStatusName(AckStatus s);

struct Ack {
  OptionalText id;  // null when the command had no usable id
  AckStatus status = AckStatus::Received;
  std::string detail;
  bool has_detail = false;
  std::string device_id;  // empty: absent
};

struct Log {
  std::string level = "info";
  std::string msg;
  std::string device_id;  // empty: absent
};

std::string encodeTelemetry(const std::string& device_id, const Telemetry& t, Framing f);
std::string encodeStatus(const Status& s, Framing f);
std::string encodeWaveform(const Waveform& w, Framing f);
std::string encodeAck(const Ack& a, Framing f);
std::string encodeLog(const Log& l, Framing f);

/** "factory/<device_id>/<suffix>" (topics.ts topicFor). */
std::string topicFor(const std::string& device_id, const char* suffix);

struct DeviceMessage {
  Kind kind = Kind::Telemetry;
  std::string device_id;  // telemetry's
  Telemetry telemetry;
  Status status;
  Waveform waveform;
  Ack ack;
  Log log;
};

struct Decoded {
  bool ok = false;
  std::string reason;  // "<keyword>: ..." as decode.ts words it
  DeviceMessage message;
};

/**
 * Decodes one device message as the host would (decode.ts decodeDeviceMessage): `topic_device_id` is the
 * device the MQTT topic names, or empty. Timestamp plausibility against a clock is the host's policy, not a
 * property of the message, so only the format is checked here.
 */
Decoded decodeDeviceMessage(Kind kind, std::string_view raw, const std::string& topic_device_id);

enum class LineKind : uint8_t { Message, Text, Rejected };
struct DecodedLine {
  LineKind kind = LineKind::Text;
  Decoded decoded;
};
/** One serial line (decode.ts decodeSerialLine): non-JSON lines are console text, not errors. */
DecodedLine decodeSerialLine(std::string_view line, const std::string& expected_device_id);

}  // namespace mt
