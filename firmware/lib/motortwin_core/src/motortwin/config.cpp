#include "motortwin/config.h"

#include "motortwin/fields.h"
#include "motortwin/json.h"
#include "motortwin/limits.h"

namespace mt {

namespace {

const char* const kEnvelope[] = {"type", "id", "action", "issued_at", "expires_at"};
const char* const kSettings[] = {"device_id", "wifi_ssid", "wifi_password", "mqtt_url", "mqtt_user", "mqtt_password",
                                 "temp_sensor", "accel_range_g", "dlpf", "waveform_samples", "waveform_interval_s", "rated_rpm"};
constexpr int kSettingCount = 12;
constexpr uint16_t kSecrets = ConfigUpdate::WifiPassword | ConfigUpdate::MqttPassword;

const char* tempSensorName(TempSensor t) { return t == TempSensor::Ds18b20 ? "ds18b20" : t == TempSensor::Dht22 ? "dht22" : "none"; }

bool known(const std::string& key) {
  for (const char* k : kEnvelope)
    if (key == k) return true;
  for (const char* k : kSettings)
    if (key == k) return true;
  return false;
}

bool powerOfTwoSamples(double n) { return n == 1024 || n == 2048 || n == 4096; }

}  // namespace

bool parseMqttUrl(const std::string& url, std::string& host, uint16_t& port, std::string& reason) {
  const std::string scheme = "mqtt://";
  if (url.compare(0, scheme.size(), scheme) != 0) return reason = "mqtt_url must start with mqtt://", false;
  std::string rest = url.substr(scheme.size());
  if (rest.find('@') != std::string::npos) return reason = "put credentials in mqtt_user and mqtt_password, not in mqtt_url", false;
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  size_t colon = rest.find(':');
  host = rest.substr(0, colon);
  port = 1883;
  if (colon != std::string::npos) {
    std::string digits = rest.substr(colon + 1);
    long p = 0;
    for (char c : digits) p = (c >= '0' && c <= '9' && p < 70000) ? p * 10 + (c - '0') : 70000;
    if (digits.empty() || p < 1 || p > 65535) return reason = "mqtt_url port must be 1-65535", false;
    port = static_cast<uint16_t>(p);
  }
  if (host.empty() || host.find_first_of("/?# ") != std::string::npos) return reason = "mqtt_url needs a host name", false;
  return true;
}

bool parseConfigUpdate(FieldReader& f, ConfigUpdate& u) {
  for (const std::string& key : f.object().keys)
    if (!known(key)) return f.fail("type", key, "unknown setting");
  DeviceConfig& v = u.values;
  bool has = false;
  auto text = [&](const char* key, size_t min, size_t max, std::string& out, uint16_t bit) {
    if (!f.text(key, false, min, max, out, &has)) return false;
    if (has) u.set |= bit;
    return true;
  };
  if (!text("device_id", 0, kMaxDeviceIdLength, v.device_id, ConfigUpdate::DeviceId)) return false;
  if (has && !isValidDeviceId(v.device_id)) return f.fail("device_id", "device_id", "device_id must be 1-64 letters, digits, \"_\", \"-\" or \".\"");
  if (!text("wifi_ssid", 0, 32, v.wifi_ssid, ConfigUpdate::WifiSsid)) return false;
  // Reasons about secrets name the rule, never the value.
  if (!text("wifi_password", 0, 63, v.wifi_password, ConfigUpdate::WifiPassword)) return false;
  if (has && !v.wifi_password.empty() && v.wifi_password.size() < 8) return f.fail("range", "wifi_password", "must be empty (open network) or 8-63 characters");
  if (!text("mqtt_url", 1, 128, v.mqtt_url, ConfigUpdate::MqttUrl)) return false;
  std::string host, reason;
  uint16_t port = 0;
  if (has && !parseMqttUrl(v.mqtt_url, host, port, reason)) return f.fail("range", "mqtt_url", reason);
  if (!text("mqtt_user", 0, 64, v.mqtt_user, ConfigUpdate::MqttUser) || !text("mqtt_password", 0, 128, v.mqtt_password, ConfigUpdate::MqttPassword))
    return false;
  if (f.has("temp_sensor")) {
    std::string t;
    if (!f.oneOf("temp_sensor", "ds18b20|dht22|none", "range", t)) return false;
    v.temp_sensor = t == "ds18b20" ? TempSensor::Ds18b20 : t == "dht22" ? TempSensor::Dht22 : TempSensor::None;
    u.set |= ConfigUpdate::TempSensorBit;
  }
  double n = 0;
  if (!f.integer("accel_range_g", false, 2, 16, n, &has)) return false;
  if (has && n != 2 && n != 4 && n != 8 && n != 16) return f.fail("range", "accel_range_g", "accel_range_g must be 2, 4, 8 or 16");
  if (has) v.accel_range_g = static_cast<int>(n), u.set |= ConfigUpdate::AccelRange;
  if (!f.integer("dlpf", false, 0, 6, n, &has)) return false;
  if (has) v.dlpf = static_cast<int>(n), u.set |= ConfigUpdate::Dlpf;
  if (!f.integer("waveform_samples", false, 1024, 4096, n, &has)) return false;
  if (has && !powerOfTwoSamples(n)) return f.fail("range", "waveform_samples", "waveform_samples must be 1024, 2048 or 4096");
  if (has) v.waveform_samples = static_cast<int>(n), u.set |= ConfigUpdate::WaveformSamples;
  if (!f.integer("waveform_interval_s", false, 0, 86400, n, &has)) return false;
  if (has && n > 0 && n < 10) return f.fail("range", "waveform_interval_s", "waveform_interval_s must be 0 (on request only) or 10-86400");
  if (has) v.waveform_interval_s = static_cast<int>(n), u.set |= ConfigUpdate::WaveformInterval;
  if (!f.number("rated_rpm", false, v.rated_rpm, &has)) return false;
  if (has && (v.rated_rpm < 1 || v.rated_rpm > 100000)) return f.fail("range", "rated_rpm", "rated_rpm must be 1-100000");
  if (has) u.set |= ConfigUpdate::RatedRpm;
  return true;
}

void applyConfigUpdate(const ConfigUpdate& u, DeviceConfig& c) {
  const DeviceConfig& v = u.values;
  if (u.set & ConfigUpdate::DeviceId) c.device_id = v.device_id;
  if (u.set & ConfigUpdate::WifiSsid) c.wifi_ssid = v.wifi_ssid;
  if (u.set & ConfigUpdate::WifiPassword) c.wifi_password = v.wifi_password;
  if (u.set & ConfigUpdate::MqttUrl) c.mqtt_url = v.mqtt_url;
  if (u.set & ConfigUpdate::MqttUser) c.mqtt_user = v.mqtt_user;
  if (u.set & ConfigUpdate::MqttPassword) c.mqtt_password = v.mqtt_password;
  if (u.set & ConfigUpdate::TempSensorBit) c.temp_sensor = v.temp_sensor;
  if (u.set & ConfigUpdate::AccelRange) c.accel_range_g = v.accel_range_g;
  if (u.set & ConfigUpdate::Dlpf) c.dlpf = v.dlpf;
  if (u.set & ConfigUpdate::WaveformSamples) c.waveform_samples = v.waveform_samples;
  if (u.set & ConfigUpdate::WaveformInterval) c.waveform_interval_s = v.waveform_interval_s;
  if (u.set & ConfigUpdate::RatedRpm) c.rated_rpm = v.rated_rpm;
}

std::string describeUpdate(const ConfigUpdate& u) {
  std::string out;
  for (int i = 0; i < kSettingCount; ++i) {
    auto bit = static_cast<uint16_t>(1u << i);
    if (!(u.set & bit)) continue;
    if (!out.empty()) out += ", ";
    out += kSettings[i];
    if (bit & kSecrets) out += " (hidden)";
  }
  return out;
}

std::string describeConfig(const DeviceConfig& c) {
  auto secret = [](const std::string& s) { return s.empty() ? "<unset>" : "<set>"; };
  return "device_id=" + c.device_id + " wifi_ssid=" + c.wifi_ssid + " wifi_password=" + secret(c.wifi_password) + " mqtt_url=" + c.mqtt_url +
         " mqtt_user=" + c.mqtt_user + " mqtt_password=" + secret(c.mqtt_password) + " temp_sensor=" + tempSensorName(c.temp_sensor) +
         " accel_range_g=" + std::to_string(c.accel_range_g) + " dlpf=" + std::to_string(c.dlpf) +
         " waveform_samples=" + std::to_string(c.waveform_samples) + " waveform_interval_s=" + std::to_string(c.waveform_interval_s) +
         " rated_rpm=" + json::number(c.rated_rpm);
}

std::string configToJson(const DeviceConfig& c) {
  json::ObjectWriter w;
  if (!c.device_id.empty()) w.str("device_id", c.device_id);  // unprovisioned: the board names itself
  return w.str("wifi_ssid", c.wifi_ssid)
      .str("wifi_password", c.wifi_password)
      .str("mqtt_url", c.mqtt_url)
      .str("mqtt_user", c.mqtt_user)
      .str("mqtt_password", c.mqtt_password)
      .str("temp_sensor", tempSensorName(c.temp_sensor))
      .num("accel_range_g", c.accel_range_g)
      .num("dlpf", c.dlpf)
      .num("waveform_samples", c.waveform_samples)
      .num("waveform_interval_s", c.waveform_interval_s)
      .num("rated_rpm", c.rated_rpm)
      .finish();
}

bool configFromJson(const std::string& text, DeviceConfig& c) {
  json::Parsed p = json::parse(text);
  if (!p.ok || !p.value.is(json::Type::Object)) return false;
  FieldReader f(p.value);
  ConfigUpdate u;
  if (!parseConfigUpdate(f, u)) return false;
  applyConfigUpdate(u, c);
  return true;
}

}  // namespace mt
