// MotorTwin sensor board: wiring of the parts. The behaviour lives in lib/motortwin_core (mt::Device and
// friends, host-tested); this file only feeds it bytes, readings and time.
#include <Arduino.h>
#include <esp_task_wdt.h>

#include <cmath>
#include <string>

#include "esp_platform.h"
#include "motortwin/device.h"
#include "motortwin/limits.h"
#include "motortwin/line_reader.h"
#include "network.h"
#include "pins.h"
#include "sensors.h"

#ifndef MT_BOARD
#define MT_BOARD "esp32"
#endif

namespace {

constexpr uint32_t kWatchdogSeconds = 10;
constexpr size_t kOfflineMessages = 240;  // 4 minutes at 1 Hz, ~32 KB of RAM

Network g_network;
EspPlatform g_platform(g_network);
mt::Device g_device(g_platform, MT_BOARD, kOfflineMessages);
Sensors g_sensors;
mt::LineReader g_serial_in(mt::kMaxCommandBytes);
uint32_t g_last_report = 0, g_last_waveform = 0;

/** "esp32-a1b2c3": the board's name until provisioning gives it one. */
std::string macName() {
  uint64_t mac = ESP.getEfuseMac();  // byte 0 of the MAC in the lowest byte
  char buf[20];
  snprintf(buf, sizeof buf, "esp32-%02x%02x%02x", static_cast<unsigned>(mac >> 24 & 0xFF), static_cast<unsigned>(mac >> 32 & 0xFF),
           static_cast<unsigned>(mac >> 40 & 0xFF));
  return buf;
}

void readSerial() {
  while (Serial.available() > 0) {
    switch (g_serial_in.feed(static_cast<char>(Serial.read()))) {
      case mt::LineReader::Result::Line: g_device.onSerialLine(g_serial_in.line()); break;
      case mt::LineReader::Result::Overflow: g_device.onSerialOverflow(g_serial_in.overflowBytes()); break;
      case mt::LineReader::Result::None: break;
    }
  }
}

void sendWaveforms(char axis, size_t samples) {
  for (char a : {'x', 'y', 'z'}) {
    if (axis && a != axis) continue;
    mt::Waveform w;
    int64_t now = g_platform.epochMs();
    if (!g_sensors.waveform(a, samples, g_device.calibration(), w)) {
      g_device.log("warn", "no waveform: accelerometer missing or fewer than " + std::to_string(samples) + " samples taken yet");
      return;
    }
    // The block ends now: its timestamp is its first sample's.
    if (now >= 0) w.timestamp_ms = now - static_cast<int64_t>(1000.0 * samples / w.sample_rate_hz);
    g_device.sendWaveform(w);
    esp_task_wdt_reset();  // 4096 samples over serial take about a second at 115200 baud
  }
}

void reportIfDue() {
  uint32_t now = millis();
  uint32_t interval = static_cast<uint32_t>(1000.0 / g_device.controls().rate_hz);
  if (now - g_last_report < interval) return;
  g_last_report = now;
  mt::RawReadings raw;
  mt::Telemetry t = g_sensors.measure(g_device.calibration(), interval, raw);
  g_device.setRawReadings(raw);
  t.set(mt::Reading::uptime_s, now / 1000);
  double rssi = g_network.rssi();
  if (!std::isnan(rssi)) t.set(mt::Reading::rssi, rssi);
  g_device.report(t);
}

void waveformIfDue() {
  mt::WaveformArgs request;
  const mt::DeviceConfig& c = g_device.config();
  if (g_device.takeWaveformRequest(request)) {
    sendWaveforms(request.axis, request.samples ? request.samples : c.waveform_samples);
  } else if (c.waveform_interval_s > 0 && millis() - g_last_waveform >= c.waveform_interval_s * 1000u) {
    g_last_waveform = millis();
    sendWaveforms(0, c.waveform_samples);
  }
}

}  // namespace

void setup() {
  Serial.setRxBufferSize(2048);  // a whole command line arrives while the loop is busy publishing
  Serial.begin(115200);
  esp_task_wdt_init(kWatchdogSeconds, true);
  esp_task_wdt_add(nullptr);
  g_platform.begin();
  g_device.begin(macName());  // banner, stored settings, outputs back to their last commanded state
  g_sensors.begin(g_device.config(), g_device);
  g_network.begin(g_device.config());
  g_last_waveform = millis();
}

void loop() {
  esp_task_wdt_reset();
  readSerial();
  g_network.loop(g_device);
  g_sensors.poll(g_device);
  reportIfDue();
  g_device.pump();
  waveformIfDue();
  g_platform.tick();
  delay(1);
}
