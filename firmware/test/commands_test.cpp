// Commands beyond the shared vectors: the device's own limits and its two extensions.
#include <doctest/doctest.h>

#include <string>

#include "motortwin/commands.h"

using mt::Transport;

TEST_CASE("commands: a rejection still carries the command's id for the acknowledgement") {
  auto r = mt::decodeCommand("{\"id\":\"cmd-9\",\"action\":\"REDUCE_LOAD\",\"value\":90}", Transport::Mqtt);
  CHECK_FALSE(r.ok);
  CHECK(r.command.id.value == "cmd-9");
  CHECK(r.reason == "range: value: REDUCE_LOAD value out of range 0-50 %");
  auto bad_id = mt::decodeCommand("{\"id\":7,\"action\":\"STOP\"}", Transport::Mqtt);
  CHECK(bad_id.command.id.state == mt::OptionalText::State::Null);
  auto no_id = mt::decodeCommand("{\"action\":\"STOP\"}", Transport::Mqtt);
  CHECK(no_id.ok);
  CHECK(no_id.command.id.state == mt::OptionalText::State::Absent);
}

TEST_CASE("commands: over serial a line must say it is a command") {
  CHECK(mt::decodeCommand("{\"type\":\"command\",\"action\":\"STOP\"}", Transport::Serial).ok);
  auto r = mt::decodeCommand("{\"action\":\"STOP\"}", Transport::Serial);
  CHECK_FALSE(r.ok);
  CHECK(r.reason.rfind("type: ", 0) == 0);
  CHECK_FALSE(mt::decodeCommand("{\"type\":\"telemetry\",\"action\":\"STOP\"}", Transport::Serial).ok);
}

TEST_CASE("commands: the device reads at most 1024 bytes") {
  std::string pad(1024, ' ');
  auto r = mt::decodeCommand("{\"action\":\"STOP\"}" + pad, Transport::Mqtt);
  CHECK_FALSE(r.ok);
  CHECK(r.reason == "size: command of 1041 bytes exceeds the 1024-byte limit");
  CHECK(mt::decodeCommand("{\"action\":\"STOP\"}" + std::string(1024 - 17, ' '), Transport::Mqtt).ok);
}

TEST_CASE("commands: boundary values") {
  auto ok = [](const char* raw) { return mt::decodeCommand(raw, Transport::Mqtt).ok; };
  CHECK(ok("{\"action\":\"REDUCE_LOAD\",\"value\":0}"));
  CHECK(ok("{\"action\":\"SET_RATE\",\"value\":1}"));
  CHECK(ok("{\"action\":\"SET_RATE\",\"value\":10}"));
  CHECK(ok("{\"action\":\"SET_SPEED\",\"value\":100000}"));
  CHECK_FALSE(ok("{\"action\":\"SET_SPEED\",\"value\":-5}"));
  CHECK(ok("{\"action\":\"CALIBRATE\",\"sensor\":\"temperature\",\"offset\":-20,\"gain\":0.5}"));
  CHECK(ok("{\"action\":\"CALIBRATE\",\"sensor\":\"accel\",\"zero\":[0.5,-0.5,0]}"));
  CHECK(ok("{\"action\":\"CALIBRATE\",\"sensor\":\"rpm\",\"pulses_per_rev\":2.0}"));
  CHECK_FALSE(ok("{\"action\":\"CALIBRATE\",\"sensor\":\"accel\",\"zero\":{\"x\":0}}"));
  CHECK_FALSE(ok("{\"action\":\"STOP\",\"issued_at\":5}"));
  CHECK_FALSE(ok("{\"action\":[\"STOP\"]}"));
}

TEST_CASE("commands: CALIBRATE arguments are parsed") {
  auto t = mt::decodeCommand("{\"action\":\"CALIBRATE\",\"sensor\":\"temperature\",\"offset\":-0.8}", Transport::Mqtt);
  REQUIRE(t.ok);
  CHECK(t.command.calibrate.sensor == mt::CalSensor::Temperature);
  CHECK(t.command.calibrate.offset == -0.8);
  CHECK(t.command.calibrate.gain == 1);
  auto a = mt::decodeCommand("{\"action\":\"CALIBRATE\",\"sensor\":\"accel\",\"zero\":[0.01,-0.02,0]}", Transport::Mqtt);
  REQUIRE(a.ok);
  CHECK(a.command.calibrate.zero[1] == -0.02);
}

TEST_CASE("commands: WAVEFORM (extension) asks for a block now") {
  auto r = mt::decodeCommand("{\"action\":\"WAVEFORM\",\"axis\":\"y\",\"samples\":2048}", Transport::Mqtt);
  REQUIRE(r.ok);
  CHECK(r.command.waveform.axis == 'y');
  CHECK(r.command.waveform.samples == 2048);
  auto all = mt::decodeCommand("{\"action\":\"WAVEFORM\"}", Transport::Mqtt);
  REQUIRE(all.ok);
  CHECK(all.command.waveform.axis == 0);
  CHECK(all.command.waveform.samples == 0);
  CHECK_FALSE(mt::decodeCommand("{\"action\":\"WAVEFORM\",\"samples\":3000}", Transport::Mqtt).ok);
  CHECK_FALSE(mt::decodeCommand("{\"action\":\"WAVEFORM\",\"samples\":8192}", Transport::Mqtt).ok);
  CHECK_FALSE(mt::decodeCommand("{\"action\":\"WAVEFORM\",\"axis\":\"w\"}", Transport::Mqtt).ok);
}

TEST_CASE("commands: CONFIG (extension) only over USB serial") {
  const char* raw = "{\"type\":\"command\",\"action\":\"CONFIG\",\"wifi_ssid\":\"plant\",\"wifi_password\":\"hunter2hunter2\"}";
  auto serial = mt::decodeCommand(raw, Transport::Serial);
  REQUIRE(serial.ok);
  CHECK(serial.command.config.values.wifi_ssid == "plant");
  auto mqtt = mt::decodeCommand(raw, Transport::Mqtt);
  CHECK_FALSE(mqtt.ok);
  CHECK(mqtt.reason == "action: action: CONFIG is accepted only over USB serial");
}
