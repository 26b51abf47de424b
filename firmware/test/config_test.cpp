#include <doctest/doctest.h>

#include <string>

#include "motortwin/commands.h"
#include "motortwin/config.h"

namespace {
mt::CommandResult config(const std::string& fields) {
  return mt::decodeCommand("{\"type\":\"command\",\"action\":\"CONFIG\"" + fields + "}", mt::Transport::Serial);
}
}  // namespace

TEST_CASE("config: every setting is validated, all or nothing") {
  auto r = config(",\"device_id\":\"motor_07\",\"mqtt_url\":\"mqtt://10.0.0.5:1884\",\"temp_sensor\":\"dht22\",\"accel_range_g\":8,\"dlpf\":3,"
                  "\"waveform_samples\":4096,\"waveform_interval_s\":0,\"rated_rpm\":2950");
  REQUIRE(r.ok);
  mt::DeviceConfig c;
  mt::applyConfigUpdate(r.command.config, c);
  CHECK(c.device_id == "motor_07");
  CHECK(c.mqtt_url == "mqtt://10.0.0.5:1884");
  CHECK(c.temp_sensor == mt::TempSensor::Dht22);
  CHECK(c.accel_range_g == 8);
  CHECK(c.dlpf == 3);
  CHECK(c.waveform_samples == 4096);
  CHECK(c.waveform_interval_s == 0);
  CHECK(c.rated_rpm == 2950);
  CHECK(c.wifi_ssid.empty());  // untouched

  for (const char* bad : {",\"device_id\":\"a/b\"", ",\"wifi_ssid\":\"123456789012345678901234567890123\"", ",\"mqtt_url\":\"http://x\"",
                          ",\"mqtt_url\":\"mqtt://:1883\"", ",\"mqtt_url\":\"mqtt://h:99999\"", ",\"temp_sensor\":\"pt100\"", ",\"accel_range_g\":3",
                          ",\"dlpf\":7", ",\"waveform_samples\":1000", ",\"waveform_interval_s\":5", ",\"rated_rpm\":0", ",\"wifi_pass\":\"x\"",
                          ",\"dlpf\":1,\"accel_range_g\":5"}) {
    CAPTURE(bad);
    CHECK_FALSE(config(bad).ok);
  }
}

TEST_CASE("config: secrets are never echoed") {
  const std::string wifi = "correct-horse-battery", broker = "s3cr3t-broker-pw";
  auto r = config(",\"wifi_ssid\":\"plant\",\"wifi_password\":\"" + wifi + "\",\"mqtt_user\":\"motors\",\"mqtt_password\":\"" + broker + "\"");
  REQUIRE(r.ok);
  std::string changed = mt::describeUpdate(r.command.config);
  CHECK(changed == "wifi_ssid, wifi_password (hidden), mqtt_user, mqtt_password (hidden)");
  mt::DeviceConfig c;
  mt::applyConfigUpdate(r.command.config, c);
  std::string all = mt::describeConfig(c);
  CHECK(all.find(wifi) == std::string::npos);
  CHECK(all.find(broker) == std::string::npos);
  CHECK(all.find("wifi_password=<set>") != std::string::npos);
  CHECK(mt::describeConfig(mt::DeviceConfig{}).find("mqtt_password=<unset>") != std::string::npos);

  // A rejected secret is described by its rule, not its value.
  auto short_pw = config(",\"wifi_password\":\"abc1234\"");
  CHECK_FALSE(short_pw.ok);
  CHECK(short_pw.reason.find("abc1234") == std::string::npos);
  // Credentials inside the URL would be echoed with it: refused.
  auto in_url = config(",\"mqtt_url\":\"mqtt://user:" + broker + "@broker\"");
  CHECK_FALSE(in_url.ok);
  CHECK(in_url.reason.find(broker) == std::string::npos);
}

TEST_CASE("config: the NVS document round-trips and damaged ones are refused") {
  mt::DeviceConfig c;
  c.device_id = "motor_01";
  c.wifi_ssid = "plant";
  c.wifi_password = "password123";
  c.accel_range_g = 4;
  c.rated_rpm = 2950;
  mt::DeviceConfig back;
  REQUIRE(mt::configFromJson(mt::configToJson(c), back));
  CHECK(mt::configToJson(back) == mt::configToJson(c));
  mt::DeviceConfig unprovisioned;
  CHECK(mt::configFromJson(mt::configToJson(unprovisioned), back));
  mt::DeviceConfig untouched = c;
  CHECK_FALSE(mt::configFromJson("{\"accel_range_g\":5}", untouched));
  CHECK_FALSE(mt::configFromJson("\xff\xff\xff", untouched));
  CHECK(untouched.accel_range_g == 4);
}

TEST_CASE("config: broker URLs") {
  std::string host, reason;
  uint16_t port = 0;
  REQUIRE(mt::parseMqttUrl("mqtt://broker.plant.local", host, port, reason));
  CHECK(host == "broker.plant.local");
  CHECK(port == 1883);
  REQUIRE(mt::parseMqttUrl("mqtt://10.1.2.3:8883/", host, port, reason));
  CHECK(host == "10.1.2.3");
  CHECK(port == 8883);
  CHECK_FALSE(mt::parseMqttUrl("mqtts://broker", host, port, reason));
  CHECK_FALSE(mt::parseMqttUrl("mqtt://broker:", host, port, reason));
  CHECK_FALSE(mt::parseMqttUrl("mqtt://broker:0", host, port, reason));
  CHECK_FALSE(mt::parseMqttUrl("mqtt://broker:12x", host, port, reason));
}
