#pragma once
// The board's provisioning and settings: set over USB by the CONFIG command, kept in NVS as one JSON
// document. Secrets (Wi-Fi and broker passwords) go in and are never written back out in clear.
#include <cstdint>
#include <string>

namespace mt {

class FieldReader;

enum class TempSensor : uint8_t { Ds18b20, Dht22, None };

struct DeviceConfig {
  std::string device_id;  // empty until provisioned: the board then names itself from its MAC
  std::string wifi_ssid;  // empty: Wi-Fi and MQTT off, serial only
  std::string wifi_password;
  std::string mqtt_url = "mqtt://motortwin.local:1883";
  std::string mqtt_user;
  std::string mqtt_password;
  TempSensor temp_sensor = TempSensor::Ds18b20;
  int accel_range_g = 2;       // 2, 4, 8 or 16
  int dlpf = 0;                // MPU6050 DLPF_CFG 0-6 (0: 260 Hz bandwidth)
  int waveform_samples = 1024; // 1024, 2048 or 4096
  int waveform_interval_s = 600;  // 0: only on request
  double rated_rpm = 1500;     // nameplate: SET_SPEED ceiling and full scale of the speed output
};

/** The settings a CONFIG command carries; `set` bits say which. */
struct ConfigUpdate {
  enum Bit : uint16_t {
    DeviceId = 1 << 0, WifiSsid = 1 << 1, WifiPassword = 1 << 2, MqttUrl = 1 << 3, MqttUser = 1 << 4, MqttPassword = 1 << 5,
    TempSensorBit = 1 << 6, AccelRange = 1 << 7, Dlpf = 1 << 8, WaveformSamples = 1 << 9, WaveformInterval = 1 << 10, RatedRpm = 1 << 11,
  };
  uint16_t set = 0;
  DeviceConfig values;
};

/** Reads CONFIG's settings; unknown keys are refused (a misspelt "wifi_pass" must not vanish silently). */
bool parseConfigUpdate(FieldReader& f, ConfigUpdate& out);
void applyConfigUpdate(const ConfigUpdate& u, DeviceConfig& c);
/** "wifi_ssid, wifi_password (hidden), mqtt_url": what changed, without a single value of a secret. */
std::string describeUpdate(const ConfigUpdate& u);
/** Every setting, secrets shown only as <set> or <unset>. */
std::string describeConfig(const DeviceConfig& c);

/** NVS form, secrets included (NVS is the board's own flash; see README on flash encryption). */
std::string configToJson(const DeviceConfig& c);
/** False (and `c` untouched) when the stored text is damaged or out of range. */
bool configFromJson(const std::string& text, DeviceConfig& c);

/** "mqtt://host[:port]" into host and port (1883 by default). */
bool parseMqttUrl(const std::string& url, std::string& host, uint16_t& port, std::string& reason);

}  // namespace mt
