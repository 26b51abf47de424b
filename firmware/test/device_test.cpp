// The whole board behaviour against a fake Platform: acknowledgements, outputs, persistence, missing sensors,
// the offline buffer, provisioning.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "motortwin/base64.h"
#include "motortwin/device.h"
#include "motortwin/messages.h"
#include "motortwin/version.h"
#include "support.h"

using mt::json::Type;

namespace {

const int64_t kNow = 1768472400000;  // 2026-01-15T10:20:00Z

struct Board {
  test::FakePlatform p;
  mt::Device d;
  explicit Board(size_t capacity = 16) : d(p, "esp32", capacity) {}
  void boot() { d.begin("esp32-a1b2c3"); }
  void serial(const std::string& json) { d.onSerialLine("{\"type\":\"command\"," + json.substr(1)); }
  std::vector<std::string> acks() const {
    std::vector<std::string> out;
    for (const auto& a : p.lines("ack")) out.push_back(a.get("status")->text + (a.get("detail") ? ": " + a.get("detail")->text : ""));
    return out;
  }
};

mt::Telemetry readings() {
  mt::Telemetry t;
  t.set(mt::Reading::temperature, 61.5);
  t.set(mt::Reading::vibration, 0.042);
  t.set(mt::Reading::rpm, 1476);
  t.set(mt::Reading::vib_x, 0.021);
  return t;
}

}  // namespace

TEST_CASE("device: boot banner and status carry the firmware version") {
  Board b;
  b.boot();
  REQUIRE(b.p.serial.size() >= 2);
  CHECK(b.p.serial[0] == std::string("MotorTwin firmware ") + mt::firmwareVersion() + " on esp32, device esp32-a1b2c3");
  mt::DecodedLine status = mt::decodeSerialLine(b.p.serial[1], "");
  REQUIRE(status.kind == mt::LineKind::Message);
  CHECK(status.decoded.message.status.fw == std::string(MT_FW_VERSION "+" MT_BUILD_ID));
  CHECK(status.decoded.message.status.device_id == "esp32-a1b2c3");
  CHECK(status.decoded.message.status.calibration_id.state == mt::OptionalText::State::Null);
  CHECK(b.p.stop_relay == false);
  CHECK(b.p.speed_output == 1.0);
}

TEST_CASE("device: a command is acknowledged received, then applied") {
  Board b;
  b.boot();
  b.serial(R"({"id":"cmd-7f3a","action":"REDUCE_LOAD","value":20})");
  auto acks = b.p.lines("ack");
  REQUIRE(acks.size() == 2);
  CHECK(acks[0].get("id")->text == "cmd-7f3a");
  CHECK(acks[0].get("status")->text == "received");
  CHECK(acks[1].get("status")->text == "applied");
  CHECK(acks[1].get("detail")->text == "load set to 80 %");
  CHECK(b.p.speed_output == doctest::Approx(0.8));
  CHECK(b.p.store.count("controls"));
}

TEST_CASE("device: invalid or malformed commands are rejected with a reason and change nothing") {
  Board b;
  b.boot();
  b.serial(R"({"id":"c1","action":"REDUCE_LOAD","value":80})");
  b.d.onSerialLine("{\"type\":\"command\",\"action\":\"STOP\"");
  b.serial(R"({"id":"c2","action":"SELF_DESTRUCT"})");
  b.d.onSerialOverflow(5000);
  auto acks = b.acks();
  REQUIRE(acks.size() == 4);
  CHECK(acks[0] == "rejected: range: value: REDUCE_LOAD value out of range 0-50 %");
  CHECK(acks[1].rfind("rejected: json: ", 0) == 0);
  CHECK(acks[2].rfind("rejected: action: ", 0) == 0);
  CHECK(acks[3] == "rejected: size: command line of 5000 bytes exceeds the 1024-byte limit");
  CHECK(b.p.lines("ack")[1].get("id")->is(Type::Null));
  CHECK(b.p.speed_output == 1.0);
  CHECK(b.p.stop_relay == false);
  CHECK(b.p.store.empty());
  b.d.onSerialLine("rst:0x1 (POWERON_RESET)");  // not JSON: not a command, no answer
  CHECK(b.acks().size() == 4);
}

TEST_CASE("device: SET_SPEED within the nameplate drives the output; above it is refused") {
  Board b;
  b.p.store["config"] = R"({"rated_rpm":1500})";
  b.boot();
  b.serial(R"({"id":"s1","action":"SET_SPEED","value":1200})");
  CHECK(b.p.speed_output == doctest::Approx(0.8));
  b.serial(R"({"id":"s2","action":"SET_SPEED","value":3000})");
  CHECK(b.acks().back() == "rejected: range: value: SET_SPEED 3000 rpm is above the nameplate 1500 rpm");
  CHECK(b.p.speed_output == doctest::Approx(0.8));
  b.serial(R"({"id":"s3","action":"REDUCE_LOAD","value":25})");
  CHECK(b.p.speed_output == doctest::Approx(0.6));
}

TEST_CASE("device: STOP and START drive the relay, and a STOP survives a reboot") {
  Board b;
  b.boot();
  b.serial(R"({"id":"c1","action":"STOP"})");
  CHECK(b.p.stop_relay);
  CHECK(b.p.speed_output == 0);
  Board after;
  after.p.store = b.p.store;
  after.boot();
  CHECK(after.p.stop_relay);
  after.serial(R"({"id":"c2","action":"START"})");
  CHECK_FALSE(after.p.stop_relay);
  CHECK(after.p.speed_output == 1.0);
}

TEST_CASE("device: if NVS refuses the write, the command is rejected and nothing is half-applied") {
  Board b;
  b.boot();
  b.p.save_ok = false;
  b.serial(R"({"id":"c1","action":"STOP"})");
  CHECK(b.acks().back() == "rejected: storage: could not save the set-point to NVS");
  CHECK_FALSE(b.p.stop_relay);
  CHECK(b.d.controls().running);
}

TEST_CASE("device: IDENTIFY, SET_RATE, REBOOT, WAVEFORM") {
  Board b;
  b.boot();
  b.serial(R"({"id":"c1","action":"IDENTIFY"})");
  CHECK(b.p.identify_ms == 10000);
  b.serial(R"({"id":"c2","action":"SET_RATE","value":5})");
  CHECK(b.d.controls().rate_hz == 5);
  mt::WaveformArgs w;
  CHECK_FALSE(b.d.takeWaveformRequest(w));
  b.serial(R"({"id":"c3","action":"WAVEFORM","axis":"z"})");
  REQUIRE(b.d.takeWaveformRequest(w));
  CHECK(w.axis == 'z');
  CHECK_FALSE(b.d.takeWaveformRequest(w));
  CHECK(b.p.restart_ms < 0);
  b.serial(R"({"id":"c4","action":"REBOOT"})");
  CHECK(b.acks().back() == "applied: restarting");
  CHECK(b.p.restart_ms == 500);
}

TEST_CASE("device: an expired command is acknowledged expired, not applied") {
  Board b;
  b.boot();
  b.p.now_ms = kNow;
  b.serial(R"({"id":"c1","action":"STOP","expires_at":"2026-01-15T10:19:00Z"})");
  CHECK(b.acks().back() == "expired: expired at 2026-01-15T10:19:00Z");
  CHECK_FALSE(b.p.stop_relay);
  b.serial(R"({"id":"c2","action":"STOP","expires_at":"2026-01-15T10:25:00Z"})");
  CHECK(b.p.stop_relay);
  b.serial(R"({"id":"c3","action":"START","expires_at":"whenever"})");
  CHECK(b.acks().back() == "rejected: expires_at: not an ISO 8601 time");
}

TEST_CASE("device: CALIBRATE is stored, applied and reported as the new calibration_id") {
  Board b;
  b.boot();
  b.p.now_ms = kNow;
  mt::RawReadings raw;
  raw.temperature_c = 60;
  b.d.setRawReadings(raw);
  b.serial(R"({"id":"k1","action":"CALIBRATE","sensor":"temperature","offset":-0.8,"gain":1.0})");
  CHECK(b.acks().back() == "applied: temperature calibration: gain 1, offset -0.8 C (c-2026-01-15-01)");
  CHECK(b.d.calibration().temperature(60) == doctest::Approx(59.2));
  CHECK(b.p.lines("status").back().get("calibration_id")->text == "c-2026-01-15-01");
  Board after;
  after.p.store = b.p.store;
  after.boot();
  CHECK(after.d.calibration().id == "c-2026-01-15-01");
  // An absurd one is refused; the stored one stays.
  raw.temperature_c = 100;
  b.d.setRawReadings(raw);
  b.serial(R"({"id":"k2","action":"CALIBRATE","sensor":"temperature","offset":20,"gain":2})");
  CHECK(b.acks().back().rfind("rejected: range: calibration would make readings absurd", 0) == 0);
  CHECK(b.d.calibration().id == "c-2026-01-15-01");
}

TEST_CASE("device: a missing sensor is null with its reason in the status, never zero") {
  Board b;
  b.boot();
  b.d.setSensorFault(mt::Sensor::Temperature, "missing: no DS18B20 on GPIO 4");
  auto status = b.p.lines("status").back();
  CHECK(status.get("sensors")->get("temperature")->text == "missing: no DS18B20 on GPIO 4");
  CHECK(status.get("sensors")->get("accel")->text == "ok");
  CHECK(status.get("errors")->items.at(0).text == "temperature: missing: no DS18B20 on GPIO 4");
  b.d.report(readings());  // the hardware layer's stale value must not get through
  auto t = b.p.lines("telemetry").back();
  CHECK(t.get("temperature")->is(Type::Null));
  CHECK(t.get("rpm")->number == 1476);
  size_t statuses = b.p.lines("status").size();
  b.d.setSensorFault(mt::Sensor::Temperature, "missing: no DS18B20 on GPIO 4");
  CHECK(b.p.lines("status").size() == statuses);  // unchanged: not re-sent
  b.d.setSensorFault(mt::Sensor::Accel, "missing: no MPU6050 at I2C 0x68");
  b.d.report(readings());
  t = b.p.lines("telemetry").back();
  CHECK(t.get("vibration")->is(Type::Null));
  CHECK(t.get("vib_x")->is(Type::Null));
}

TEST_CASE("device: telemetry has seq, and a timestamp only once the clock is set") {
  Board b;
  b.boot();
  b.d.report(readings());
  b.p.now_ms = kNow;
  b.d.report(readings());
  auto lines = b.p.lines("telemetry");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].get("seq")->number == 0);
  CHECK(lines[0].get("timestamp") == nullptr);
  CHECK(lines[1].get("seq")->number == 1);
  CHECK(lines[1].get("timestamp")->text == "2026-01-15T10:20:00Z");
  for (const auto& line : b.p.serial) CHECK(mt::decodeSerialLine(line, "esp32-a1b2c3").kind != mt::LineKind::Rejected);
}

TEST_CASE("device: offline telemetry is held and sent in order once the broker is back") {
  Board b(3);
  b.p.store["config"] = R"({"device_id":"motor_01","wifi_ssid":"plant"})";
  b.boot();
  for (int i = 0; i < 5; ++i) b.d.report(readings());
  CHECK(b.p.published.empty());
  CHECK(b.d.buffered() == 3);
  CHECK(b.d.dropped() == 2);
  b.p.connected = true;
  b.d.onMqttConnected();
  auto status = b.p.on("factory/motor_01/status");
  REQUIRE(status.size() == 1);
  CHECK(status[0].retained);
  CHECK(status[0].qos == 1);
  auto sent = b.p.on("factory/motor_01/telemetry");
  REQUIRE(sent.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(sent[i].qos == 1);
    CHECK(test::parseOrDie(sent[i].payload).get("seq")->number == static_cast<double>(i + 2));
    CHECK(mt::decodeDeviceMessage(mt::Kind::Telemetry, sent[i].payload, "motor_01").ok);
  }
  CHECK(b.d.buffered() == 0);
  CHECK(b.p.lines("log").back().get("msg")->text == "offline buffer full: 2 oldest telemetry messages dropped");
}

TEST_CASE("device: a failed publish keeps the message for the next attempt") {
  Board b;
  b.p.store["config"] = R"({"device_id":"motor_01","wifi_ssid":"plant"})";
  b.boot();
  b.p.connected = true;
  b.p.publish_ok = false;
  b.d.report(readings());
  CHECK(b.d.buffered() == 1);
  b.p.publish_ok = true;
  b.d.pump();
  CHECK(b.d.buffered() == 0);
  CHECK(b.p.on("factory/motor_01/telemetry").size() == 1);
}

TEST_CASE("device: MQTT commands are acknowledged on commands/ack; the last will is an offline status") {
  Board b;
  b.p.store["config"] = R"({"device_id":"motor_01","wifi_ssid":"plant"})";
  b.boot();
  b.p.connected = true;
  b.d.onMqttCommand(R"({"id":"cmd-1","action":"STOP"})");
  auto acks = b.p.on("factory/motor_01/commands/ack");
  REQUIRE(acks.size() == 2);
  CHECK(acks[1].qos == 1);
  CHECK(mt::decodeDeviceMessage(mt::Kind::Ack, acks[1].payload, "motor_01").message.ack.status == mt::AckStatus::Applied);
  b.d.onMqttCommand(R"({"action":"CONFIG","wifi_ssid":"evil"})");
  CHECK(test::parseOrDie(b.p.on("factory/motor_01/commands/ack").back().payload).get("status")->text == "rejected");
  CHECK(b.d.config().wifi_ssid == "plant");
  mt::Decoded will = mt::decodeDeviceMessage(mt::Kind::Status, b.d.statusPayload(false), "motor_01");
  REQUIRE(will.ok);
  CHECK_FALSE(will.message.status.online);
}

TEST_CASE("device: waveform blocks go to serial and MQTT as valid messages") {
  Board b;
  b.p.store["config"] = R"({"device_id":"motor_01","wifi_ssid":"plant"})";
  b.boot();
  b.p.connected = true;
  mt::Waveform w;
  w.axis = 'y';
  w.sample_rate_hz = 1000;
  w.scale_g_per_lsb = 2.0 / 32768;
  const int16_t block[1024] = {};
  w.samples = mt::encodeInt16LeBase64(block, 1024);
  b.d.sendWaveform(w);
  auto sent = b.p.on("factory/motor_01/waveform");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].qos == 0);
  CHECK(mt::decodeDeviceMessage(mt::Kind::Waveform, sent[0].payload, "motor_01").ok);
  CHECK(mt::decodeSerialLine(b.p.serial.back(), "motor_01").kind == mt::LineKind::Message);
}

TEST_CASE("device: provisioning over serial stores secrets without echoing them") {
  Board b;
  b.boot();
  const std::string pw = "correct-horse-battery";
  b.serial(R"({"id":"cfg-1","action":"CONFIG","device_id":"motor_01","wifi_ssid":"plant","wifi_password":")" + pw + R"(","mqtt_url":"mqtt://10.0.0.5"})");
  CHECK(b.acks().back() == "applied: stored device_id, wifi_ssid, wifi_password (hidden), mqtt_url; restarting to apply");
  CHECK(b.p.restart_ms == 500);
  CHECK(b.p.store["config"].find(pw) != std::string::npos);  // kept in NVS...
  b.serial(R"({"id":"cfg-2","action":"CONFIG"})");            // ...and a query masks it
  CHECK(b.acks().back().find("wifi_password=<set>") != std::string::npos);
  for (const auto& line : b.p.serial) CHECK(line.find(pw) == std::string::npos);
  Board after;
  after.p.store = b.p.store;
  after.boot();
  CHECK(after.d.deviceId() == "motor_01");
  CHECK(after.d.mqttEnabled());
}

TEST_CASE("device: damaged NVS falls back to defaults and says so") {
  Board b;
  b.p.store["config"] = "{\"dlpf\":99}";
  b.p.store["cal"] = "garbage";
  b.p.store["controls"] = R"({"running":false,"reduce_pct":500,"rate_hz":1})";
  b.boot();
  CHECK(b.d.config().dlpf == 0);
  CHECK(b.d.controls().running);
  CHECK(b.p.lines("log").size() == 3);
  CHECK(b.d.deviceId() == "esp32-a1b2c3");
}
