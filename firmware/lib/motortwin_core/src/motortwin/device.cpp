#include "motortwin/device.h"

#include <cstdlib>
#include <utility>

#include "motortwin/fields.h"
#include "motortwin/json.h"
#include "motortwin/limits.h"
#include "motortwin/time.h"
#include "motortwin/version.h"

namespace mt {

namespace {

constexpr uint32_t kIdentifyMs = 10000;
constexpr uint32_t kRestartDelayMs = 500;  // time for the acknowledgement to leave before the restart
constexpr int kPublishesPerPump = 20;
constexpr size_t kMaxAckDetail = 1024;  // ackSchema: detail at most 1024

const char* const kSensorNames[] = {"temperature", "accel", "rpm"};

// The readings each sensor provides: all of them are null while it is faulty.
bool fedBy(Sensor s, Reading r) {
  switch (s) {
    case Sensor::Temperature: return r == Reading::temperature;
    case Sensor::Rpm: return r == Reading::rpm;
    case Sensor::Accel:
      return r == Reading::vibration || r == Reading::vib_velocity || r == Reading::vib_peak || r == Reading::vib_x || r == Reading::vib_y ||
             r == Reading::vib_z;
  }
  return false;
}

std::string fmt(double v) { return json::number(v); }

}  // namespace

Device::Device(Platform& platform, std::string board, size_t offline_capacity)
    : p_(platform), board_(std::move(board)), offline_(offline_capacity) {}

void Device::begin(const std::string& fallback_device_id) {
  std::string text;
  // Damaged settings fall back to defaults, said out loud: a board must boot whatever its flash holds.
  if (p_.load("config", text) && !configFromJson(text, config_)) log("warn", "stored config unreadable: using defaults");
  if (config_.device_id.empty()) config_.device_id = fallback_device_id;
  if (p_.load("cal", text) && !calibrationFromJson(text, cal_)) log("warn", "stored calibration unreadable: using factory calibration");
  if (p_.load("controls", text) && !controlsFromJson(text, controls_)) log("warn", "stored set-points unreadable: using defaults");
  if (p_.load("cal_count", text)) calibration_count_ = static_cast<uint32_t>(std::strtoul(text.c_str(), nullptr, 10));
  applyOutputs();
  // The banner: plain text for a person at the console, then the status line the flasher reads "fw" from.
  p_.serialWrite(std::string("MotorTwin firmware ") + firmwareVersion() + " on " + board_ + ", device " + config_.device_id);
  publishStatus();
}

Status Device::buildStatus(bool online) const {
  Status s;
  s.device_id = config_.device_id;
  s.online = online;
  s.fw = firmwareVersion();
  s.board = board_;
  s.calibration_id = cal_.id.empty() ? OptionalText::null() : OptionalText::of(cal_.id);
  s.timestamp_ms = p_.epochMs();
  json::ObjectWriter sensors;
  std::string errors = "[";
  for (int i = 0; i < 3; ++i) {
    sensors.str(kSensorNames[i], faults_[i].empty() ? "ok" : faults_[i]);
    if (faults_[i].empty()) continue;
    if (errors.size() > 1) errors += ',';
    errors += json::quote(std::string(kSensorNames[i]) + ": " + faults_[i]);
  }
  s.sensors_json = sensors.finish();
  s.errors_json = errors + "]";
  return s;
}

std::string Device::statusPayload(bool online) const { return encodeStatus(buildStatus(online), Framing::Mqtt); }

void Device::publishStatus() {
  Status s = buildStatus(true);
  p_.serialWrite(encodeStatus(s, Framing::Serial));
  if (mqttEnabled() && p_.mqttConnected()) p_.mqttPublish(topicFor(config_.device_id, "status"), encodeStatus(s, Framing::Mqtt), true, 1);
}

void Device::log(const char* level, const std::string& msg) {
  Log l;
  l.level = level;
  l.msg = truncateUtf8(msg, 4096);
  p_.serialWrite(encodeLog(l, Framing::Serial));
}

void Device::setSensorFault(Sensor s, const std::string& reason) {
  std::string& fault = faults_[static_cast<int>(s)];
  if (fault == reason) return;
  fault = reason;
  publishStatus();
}

void Device::report(Telemetry t) {
  t.seq = seq_++;
  t.timestamp_ms = p_.epochMs();
  for (int i = 0; i < kReadingCount; ++i) {
    auto r = static_cast<Reading>(i);
    for (int s = 0; s < 3; ++s)
      if (!faults_[s].empty() && fedBy(static_cast<Sensor>(s), r)) t.setNull(r);
  }
  p_.serialWrite(encodeTelemetry(config_.device_id, t, Framing::Serial));
  if (!mqttEnabled()) return;
  offline_.push(t);
  pump();
}

void Device::pump() {
  if (!p_.mqttConnected()) return;
  // Said once, when the buffer is delivered: the gap in seq is then explained, without a line per report.
  if (offline_.dropped() != reported_drops_) {
    log("warn", "offline buffer full: " + std::to_string(offline_.dropped() - reported_drops_) + " oldest telemetry messages dropped");
    reported_drops_ = offline_.dropped();
  }
  const std::string topic = topicFor(config_.device_id, "telemetry");
  for (int i = 0; i < kPublishesPerPump && !offline_.empty() && p_.mqttConnected(); ++i) {
    // Removed only once the broker has it (QoS 1): a failed publish is retried, in order, next time.
    if (!p_.mqttPublish(topic, encodeTelemetry(config_.device_id, offline_.front(), Framing::Mqtt), false, 1)) break;
    offline_.pop();
  }
}

void Device::onMqttConnected() {
  publishStatus();
  pump();
}

void Device::sendWaveform(Waveform w) {
  w.device_id = config_.device_id;
  w.seq = waveform_seq_++;
  p_.serialWrite(encodeWaveform(w, Framing::Serial));
  // QoS 0 and never buffered: a block is large, and the next one is as good.
  if (mqttEnabled() && p_.mqttConnected()) p_.mqttPublish(topicFor(config_.device_id, "waveform"), encodeWaveform(w, Framing::Mqtt), false, 0);
}

bool Device::takeWaveformRequest(WaveformArgs& out) {
  if (!waveform_requested_) return false;
  waveform_requested_ = false;
  out = waveform_request_;
  return true;
}

void Device::onSerialLine(std::string_view line) {
  // Only JSON objects are commands; anything else (a terminal's stray Enter) is not worth an answer.
  if (!line.empty() && line.front() == '{') handleCommand(line, Transport::Serial);
}

void Device::onSerialOverflow(size_t bytes) {
  ack(Transport::Serial, OptionalText::null(), AckStatus::Rejected,
      "size: command line of " + std::to_string(bytes) + " bytes exceeds the " + std::to_string(kMaxCommandBytes) + "-byte limit");
}

void Device::onMqttCommand(std::string_view payload) { handleCommand(payload, Transport::Mqtt); }

void Device::ack(Transport t, const OptionalText& id, AckStatus s, const std::string& detail) {
  Ack a;
  // A command without a usable id is answered with "id": null, so the host sees it was not its own.
  a.id = id.state == OptionalText::State::Set ? id : OptionalText::null();
  a.status = s;
  a.detail = truncateUtf8(detail, kMaxAckDetail);
  a.has_detail = true;
  if (t == Transport::Serial) p_.serialWrite(encodeAck(a, Framing::Serial));
  else if (p_.mqttConnected()) p_.mqttPublish(topicFor(config_.device_id, "commands/ack"), encodeAck(a, Framing::Mqtt), false, 1);
}

void Device::handleCommand(std::string_view raw, Transport t) {
  CommandResult r = decodeCommand(raw, t);
  if (!r.ok) return ack(t, r.command.id, AckStatus::Rejected, r.reason);
  const Command& c = r.command;
  ack(t, c.id, AckStatus::Received, actionName(c.action));
  if (!c.expires_at.empty()) {
    int64_t expires = 0, now = p_.epochMs();
    if (!parseIso8601(c.expires_at, expires)) return ack(t, c.id, AckStatus::Rejected, "expires_at: not an ISO 8601 time");
    // Without a clock the board cannot tell: it applies the command (the host tracks the deadline too).
    if (now >= 0 && now > expires) return ack(t, c.id, AckStatus::Expired, "expired at " + c.expires_at);
  }
  std::string detail;
  bool ok = execute(c, detail);
  ack(t, c.id, ok ? AckStatus::Applied : AckStatus::Rejected, detail);
}

bool Device::execute(const Command& c, std::string& detail) {
  Controls before = controls_;
  switch (c.action) {
    case Action::ReduceLoad:
      controls_.reduce_pct = c.value;
      detail = "load set to " + fmt(100 - c.value) + " %";
      break;
    case Action::SetSpeed:
      // The protocol allows up to 100000 rpm; this motor's nameplate is the real ceiling.
      if (c.value > config_.rated_rpm) {
        detail = "range: value: SET_SPEED " + fmt(c.value) + " rpm is above the nameplate " + fmt(config_.rated_rpm) + " rpm";
        return false;
      }
      controls_.speed_rpm = c.value;
      detail = "speed set-point " + fmt(c.value) + " rpm";
      break;
    case Action::Stop:
      controls_.running = false;
      detail = "stopped";
      break;
    case Action::Start:
      controls_.running = true;
      detail = "started";
      break;
    case Action::SetRate:
      controls_.rate_hz = c.value;
      detail = "telemetry at " + fmt(c.value) + " Hz";
      break;
    case Action::Identify:
      p_.identify(kIdentifyMs);
      detail = "blinking the LED for 10 s";
      return true;
    case Action::Reboot:
      detail = "restarting";
      p_.restart(kRestartDelayMs);
      return true;
    case Action::Waveform:
      waveform_requested_ = true;
      waveform_request_ = c.waveform;
      detail = "waveform block queued";
      return true;
    case Action::Calibrate:
      return calibrate(c.calibrate, detail);
    case Action::Config:
      return configure(c.config, detail);
  }
  if (!saveControls(detail)) {
    controls_ = before;  // never half-applied: storage refused, so nothing changes
    return false;
  }
  applyOutputs();
  return true;
}

bool Device::saveControls(std::string& detail) {
  if (p_.save("controls", controlsToJson(controls_))) return true;
  detail = "storage: could not save the set-point to NVS";
  return false;
}

void Device::applyOutputs() {
  p_.setStopRelay(!controls_.running);
  p_.setSpeedOutput(controls_.outputFraction(config_.rated_rpm));
}

bool Device::calibrate(const CalibrateArgs& args, std::string& detail) {
  Calibration next = cal_;
  uint32_t count = calibration_count_ + 1;
  if (!applyCalibration(args, raw_, makeCalibrationId(p_.epochMs(), count), next, detail)) return false;
  if (!p_.save("cal", calibrationToJson(next)) || !p_.save("cal_count", std::to_string(count))) {
    detail = "storage: could not save the calibration to NVS";
    return false;
  }
  cal_ = next;
  calibration_count_ = count;
  publishStatus();  // the new calibration_id
  return true;
}

bool Device::configure(const ConfigUpdate& u, std::string& detail) {
  if (!u.set) {
    detail = describeConfig(config_);  // a query: the settings, secrets masked
    return true;
  }
  DeviceConfig next = config_;
  applyConfigUpdate(u, next);
  if (!p_.save("config", configToJson(next))) {
    detail = "storage: could not save the config to NVS";
    return false;
  }
  config_ = next;
  detail = "stored " + describeUpdate(u) + "; restarting to apply";
  p_.restart(kRestartDelayMs);
  return true;
}

}  // namespace mt
