#pragma once
// Wi-Fi, MQTT (QoS 1, retained status, last will "offline") and NTP, reconnecting with backoff. Incoming
// commands are queued and handed to the Device after the MQTT client's loop: the client must not publish from
// inside its own message callback.
#include <MQTT.h>
#include <WiFi.h>

#include <deque>
#include <string>

#include "motortwin/backoff.h"
#include "motortwin/device.h"

class Network {
 public:
  /** Does nothing (serial only) when no Wi-Fi is configured. */
  void begin(const mt::DeviceConfig& config);
  void loop(mt::Device& device);
  bool connected();
  bool publish(const std::string& topic, const std::string& payload, bool retained, int qos);
  /** Wi-Fi signal in dBm, or NaN when not on Wi-Fi. */
  double rssi() const;

 private:
  static void onMessage(MQTTClient* client, char topic[], char bytes[], int length);
  void connectMqtt(mt::Device& device);

  bool enabled_ = false;
  std::string ssid_, password_, host_, user_, mqtt_password_, client_id_;
  uint16_t port_ = 1883;
  WiFiClient tcp_;
  MQTTClient mqtt_{12288};  // a 4096-sample waveform is ~11 KB of base64
  mt::Backoff wifi_backoff_{2000, 60000}, mqtt_backoff_{1000, 60000};
  uint32_t wifi_retry_at_ = 0, mqtt_retry_at_ = 0;
  bool ntp_started_ = false;
  std::string will_topic_, will_;  // kept alive: the client may hold pointers to them
};
