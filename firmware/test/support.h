#pragma once
// Test helpers: JSON comparison, and a fake Platform that records everything the core does to the hardware.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "motortwin/device.h"
#include "motortwin/json.h"

namespace test {

/** Same JSON value; "timestamp" strings compare as instants ("…+01:00" equals the same time in "Z"). */
bool jsonEqual(const mt::json::Value& a, const mt::json::Value& b, const std::string& key = "");
mt::json::Value parseOrDie(const std::string& text);

struct Published {
  std::string topic, payload;
  bool retained;
  int qos;
};

class FakePlatform : public mt::Platform {
 public:
  void serialWrite(const std::string& line) override { serial.push_back(line); }
  bool mqttConnected() override { return connected; }
  bool mqttPublish(const std::string& topic, const std::string& payload, bool retained, int qos) override;
  int64_t epochMs() override { return now_ms; }
  bool load(const char* key, std::string& value) override;
  bool save(const char* key, const std::string& value) override;
  void setSpeedOutput(double fraction) override { speed_output = fraction; }
  void setStopRelay(bool stop) override { stop_relay = stop; }
  void identify(uint32_t ms) override { identify_ms = ms; }
  void restart(uint32_t delay_ms) override { restart_ms = static_cast<int>(delay_ms); }

  /** Serial lines of one "type" (ack, status, telemetry, ...), parsed. */
  std::vector<mt::json::Value> lines(const std::string& type) const;
  std::vector<Published> on(const std::string& topic) const;

  std::vector<std::string> serial;
  std::vector<Published> published;
  std::map<std::string, std::string> store;
  bool connected = false, publish_ok = true, save_ok = true;
  int64_t now_ms = -1;
  double speed_output = -1;
  bool stop_relay = false;
  uint32_t identify_ms = 0;
  int restart_ms = -1;
};

}  // namespace test
