#include "network.h"

#include <Arduino.h>
#include <esp_random.h>

#include <cmath>

#include "motortwin/limits.h"

namespace {

constexpr size_t kMaxQueuedCommands = 8;
// Commands that arrived during mqtt.loop(), handled right after it. Oversized ones are kept as their size only.
std::deque<std::string> g_inbox;

double random01() { return esp_random() / 4294967296.0; }

bool due(uint32_t at) { return static_cast<int32_t>(millis() - at) >= 0; }

}  // namespace

void Network::onMessage(MQTTClient*, char[], char bytes[], int length) {
  if (g_inbox.size() >= kMaxQueuedCommands) return;  // a flood: QoS 1 redelivers what matters
  size_t n = static_cast<size_t>(length);
  // Longer than any command: pass on just enough for decodeCommand to reject it by size.
  g_inbox.emplace_back(n > mt::kMaxCommandBytes ? std::string(n, ' ') : std::string(bytes, n));
}

void Network::begin(const mt::DeviceConfig& c) {
  enabled_ = !c.wifi_ssid.empty();
  if (!enabled_) return;
  std::string reason;
  if (!mt::parseMqttUrl(c.mqtt_url, host_, port_, reason)) host_.clear();  // CONFIG validated it; NVS damage only
  ssid_ = c.wifi_ssid;
  password_ = c.wifi_password;
  user_ = c.mqtt_user;
  mqtt_password_ = c.mqtt_password;
  client_id_ = "motortwin-" + c.device_id;
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(false);  // reconnection is ours, with backoff
  mqtt_.begin(host_.c_str(), port_, tcp_);
  mqtt_.onMessageAdvanced(onMessage);
  mqtt_.setKeepAlive(15);
  mqtt_.setTimeout(2000);  // a QoS 1 publish waits this long for its PUBACK
}

bool Network::connected() { return enabled_ && mqtt_.connected(); }

bool Network::publish(const std::string& topic, const std::string& payload, bool retained, int qos) {
  if (!connected()) return false;
  return mqtt_.publish(topic.c_str(), payload.c_str(), static_cast<int>(payload.size()), retained, qos);
}

double Network::rssi() const { return enabled_ && WiFi.status() == WL_CONNECTED ? WiFi.RSSI() : NAN; }

void Network::loop(mt::Device& device) {
  if (!enabled_) return;
  if (WiFi.status() != WL_CONNECTED) {
    if (!due(wifi_retry_at_)) return;
    WiFi.disconnect();
    WiFi.begin(ssid_.c_str(), password_.empty() ? nullptr : password_.c_str());
    // An attempt takes seconds to settle; the next one waits for that plus the backoff.
    wifi_retry_at_ = millis() + 15000 + wifi_backoff_.next(random01());
    return;
  }
  wifi_backoff_.reset();
  if (!ntp_started_) {
    // Plants often have no Internet: the broker's host is asked as well, many run an NTP server.
    configTime(0, 0, "pool.ntp.org", host_.c_str());
    ntp_started_ = true;
  }
  if (!mqtt_.connected() && due(mqtt_retry_at_)) connectMqtt(device);
  mqtt_.loop();
  while (!g_inbox.empty()) {
    std::string payload = std::move(g_inbox.front());
    g_inbox.pop_front();
    device.onMqttCommand(payload);
  }
}

void Network::connectMqtt(mt::Device& device) {
  if (host_.empty()) return;
  will_ = device.statusPayload(false);
  will_topic_ = mt::topicFor(device.deviceId(), "status");
  mqtt_.setWill(will_topic_.c_str(), will_.c_str(), true, 1);
  bool ok = mqtt_.connect(client_id_.c_str(), user_.empty() ? nullptr : user_.c_str(), mqtt_password_.empty() ? nullptr : mqtt_password_.c_str());
  if (!ok) {
    uint32_t wait = mqtt_backoff_.next(random01());
    mqtt_retry_at_ = millis() + wait;
    device.log("warn", "MQTT connect to " + host_ + " failed (error " + std::to_string(static_cast<int>(mqtt_.lastError())) + "), retrying in " +
                           std::to_string(wait / 1000) + " s");
    return;
  }
  mqtt_backoff_.reset();
  mqtt_.subscribe(mt::topicFor(device.deviceId(), "commands").c_str(), 1);
  device.log("info", "MQTT connected to " + host_);
  device.onMqttConnected();
}
