#pragma once
// The board's behaviour, independent of the hardware: commands in, acknowledgements, telemetry, status and
// waveforms out, settings kept. The ESP32 layer (src/) implements Platform and feeds readings in; the host
// tests implement it with a fake and check the whole flow.
#include <cstdint>
#include <string>
#include <string_view>

#include "motortwin/calibration.h"
#include "motortwin/commands.h"
#include "motortwin/config.h"
#include "motortwin/controls.h"
#include "motortwin/messages.h"
#include "motortwin/ring_buffer.h"

namespace mt {

class Platform {
 public:
  virtual ~Platform() = default;
  /** One line to USB serial; the platform adds "\n". */
  virtual void serialWrite(const std::string& line) = 0;
  virtual bool mqttConnected() = 0;
  virtual bool mqttPublish(const std::string& topic, const std::string& payload, bool retained, int qos) = 0;
  /** Wall-clock time, or < 0 until NTP has set it. */
  virtual int64_t epochMs() = 0;
  virtual bool load(const char* key, std::string& value) = 0;
  virtual bool save(const char* key, const std::string& value) = 0;
  /** The analog output (DAC or PWM), 0-1 of full scale. */
  virtual void setSpeedOutput(double fraction) = 0;
  virtual void setStopRelay(bool stop) = 0;
  virtual void identify(uint32_t duration_ms) = 0;
  virtual void restart(uint32_t delay_ms) = 0;
};

enum class Sensor : uint8_t { Temperature, Accel, Rpm };

class Device {
 public:
  Device(Platform& platform, std::string board, size_t offline_capacity);

  /** Loads settings from NVS (defaults where missing or damaged), drives the outputs, prints the banner. */
  void begin(const std::string& fallback_device_id);

  const DeviceConfig& config() const { return config_; }
  const Calibration& calibration() const { return cal_; }
  const Controls& controls() const { return controls_; }
  const std::string& deviceId() const { return config_.device_id; }
  bool mqttEnabled() const { return !config_.wifi_ssid.empty(); }

  void onSerialLine(std::string_view line);
  void onSerialOverflow(size_t bytes);
  void onMqttCommand(std::string_view payload);
  /** After (re)connecting: retained online status, then the telemetry held while offline. */
  void onMqttConnected();
  /** The status payload; `online == false` is the MQTT last will. */
  std::string statusPayload(bool online) const;

  /** A sensor's fault ("" when working): its readings become null and the status says why. */
  void setSensorFault(Sensor s, const std::string& reason);
  /** Uncalibrated readings, kept to check a new calibration against. */
  void setRawReadings(const RawReadings& raw) { raw_ = raw; }

  /** Numbers a telemetry message (seq, timestamp), sends it on serial and queues it for MQTT. */
  void report(Telemetry t);
  void sendWaveform(Waveform w);
  /** A WAVEFORM command waiting to be served by the sampling layer. */
  bool takeWaveformRequest(WaveformArgs& out);
  /** Sends queued telemetry while the broker takes it, a bounded number per call so sampling keeps up. */
  void pump();
  void log(const char* level, const std::string& msg);

  size_t buffered() const { return offline_.size(); }
  uint32_t dropped() const { return offline_.dropped(); }

 private:
  void handleCommand(std::string_view raw, Transport t);
  bool execute(const Command& c, std::string& detail);
  bool calibrate(const CalibrateArgs& args, std::string& detail);
  bool configure(const ConfigUpdate& u, std::string& detail);
  void ack(Transport t, const OptionalText& id, AckStatus s, const std::string& detail);
  void applyOutputs();
  bool saveControls(std::string& detail);
  Status buildStatus(bool online) const;
  void publishStatus();

  Platform& p_;
  std::string board_;
  DeviceConfig config_;
  Calibration cal_;
  Controls controls_;
  RawReadings raw_;
  std::string faults_[3];
  RingBuffer<Telemetry> offline_;
  uint32_t reported_drops_ = 0;
  double seq_ = 0;
  double waveform_seq_ = 0;
  uint32_t calibration_count_ = 0;
  bool waveform_requested_ = false;
  WaveformArgs waveform_request_;
};

}  // namespace mt
