#pragma once
// mt::Platform on the ESP32: USB serial, NVS (Preferences), the clock, the outputs. MQTT is delegated to
// Network; the LED blink and the delayed restart run from tick() in the loop.
#include <Preferences.h>

#include "motortwin/device.h"

class Network;

class EspPlatform : public mt::Platform {
 public:
  explicit EspPlatform(Network& net) : net_(net) {}
  /** Pins to their safe state before anything else runs: relay released, output at zero. */
  void begin();
  /** Blinks the LED while identifying; restarts when a restart is due. */
  void tick();

  void serialWrite(const std::string& line) override;
  bool mqttConnected() override;
  bool mqttPublish(const std::string& topic, const std::string& payload, bool retained, int qos) override;
  int64_t epochMs() override;
  bool load(const char* key, std::string& value) override;
  bool save(const char* key, const std::string& value) override;
  void setSpeedOutput(double fraction) override;
  void setStopRelay(bool stop) override;
  void identify(uint32_t duration_ms) override;
  void restart(uint32_t delay_ms) override;

 private:
  Network& net_;
  Preferences prefs_;
  uint32_t identify_until_ = 0;
  uint32_t restart_at_ = 0;
  bool restart_due_ = false;
};
