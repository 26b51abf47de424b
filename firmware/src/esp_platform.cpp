#include "esp_platform.h"

#include <Arduino.h>
#include <sys/time.h>

#include "network.h"
#include "pins.h"

namespace {
// Before this the clock was never set (NTP not answered yet): no timestamps, the host stamps arrival.
constexpr time_t kClockSetAfter = 1704067200;  // 2024-01-01
}  // namespace

void EspPlatform::begin() {
  pinMode(PIN_RELAY, OUTPUT);
  digitalWrite(PIN_RELAY, LOW);
  pinMode(PIN_LED, OUTPUT);
  digitalWrite(PIN_LED, LOW);
#if MT_HAS_DAC
  dacWrite(PIN_SPEED_OUT, 0);
#else
  ledcSetup(SPEED_PWM_CHANNEL, SPEED_PWM_HZ, SPEED_PWM_BITS);
  ledcAttachPin(PIN_SPEED_OUT, SPEED_PWM_CHANNEL);
  ledcWrite(SPEED_PWM_CHANNEL, 0);
#endif
  prefs_.begin("motortwin", false);
}

void EspPlatform::tick() {
  uint32_t now = millis();
  bool identifying = identify_until_ && static_cast<int32_t>(identify_until_ - now) > 0;
  digitalWrite(PIN_LED, identifying && (now / 250) % 2 ? HIGH : LOW);
  if (!identifying) identify_until_ = 0;
  if (restart_due_ && static_cast<int32_t>(now - restart_at_) >= 0) {
    Serial.flush();
    ESP.restart();
  }
}

void EspPlatform::serialWrite(const std::string& line) {
  Serial.write(reinterpret_cast<const uint8_t*>(line.data()), line.size());
  Serial.write('\n');
}

bool EspPlatform::mqttConnected() { return net_.connected(); }

bool EspPlatform::mqttPublish(const std::string& topic, const std::string& payload, bool retained, int qos) {
  return net_.publish(topic, payload, retained, qos);
}

int64_t EspPlatform::epochMs() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  if (tv.tv_sec < kClockSetAfter) return -1;
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

bool EspPlatform::load(const char* key, std::string& value) {
  if (!prefs_.isKey(key)) return false;
  value = prefs_.getString(key, "").c_str();
  return true;
}

bool EspPlatform::save(const char* key, const std::string& value) {
  return prefs_.putString(key, value.c_str()) == value.size();
}

void EspPlatform::setSpeedOutput(double fraction) {
  fraction = constrain(fraction, 0.0, 1.0);
#if MT_HAS_DAC
  dacWrite(PIN_SPEED_OUT, static_cast<uint8_t>(lround(fraction * 255)));
#else
  ledcWrite(SPEED_PWM_CHANNEL, static_cast<uint32_t>(lround(fraction * ((1 << SPEED_PWM_BITS) - 1))));
#endif
}

void EspPlatform::setStopRelay(bool stop) { digitalWrite(PIN_RELAY, stop ? HIGH : LOW); }

void EspPlatform::identify(uint32_t duration_ms) { identify_until_ = millis() + duration_ms; }

void EspPlatform::restart(uint32_t delay_ms) {
  restart_at_ = millis() + delay_ms;
  restart_due_ = true;
}
