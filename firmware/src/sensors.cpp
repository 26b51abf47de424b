#include "sensors.h"

#include <Arduino.h>
#include <Wire.h>
#include <esp_task_wdt.h>

#include <algorithm>
#include <vector>

#include "pins.h"

namespace {

// MPU6050 registers (datasheet RM-MPU-6000A-00).
constexpr uint8_t kSmplrtDiv = 0x19, kConfig = 0x1A, kAccelConfig = 0x1C, kFifoEn = 0x23, kIntStatus = 0x3A, kUserCtrl = 0x6A,
                  kPwrMgmt1 = 0x6B, kPwrMgmt2 = 0x6C, kFifoCountH = 0x72, kFifoRw = 0x74, kWhoAmI = 0x75;
constexpr uint8_t kFifoOverflowBit = 0x10;
constexpr size_t kBytesPerSample = 6;  // accelerometer x, y, z, int16 big-endian
constexpr uint32_t kDs18b20ConversionMs = 750;  // 12-bit resolution

// Hall pulses from the interrupt, drained by the loop: an ISR must not call code in flash (NVS writes
// disable the cache), so it only stores micros().
constexpr size_t kPulseSlots = 64;
volatile uint32_t g_pulses[kPulseSlots];
volatile uint32_t g_pulse_head = 0, g_pulse_tail = 0;

bool writeReg(uint8_t reg, uint8_t value) {
  Wire.beginTransmission(MPU6050_ADDRESS);
  Wire.write(reg);
  Wire.write(value);
  return Wire.endTransmission() == 0;
}

bool readRegs(uint8_t reg, uint8_t* out, size_t n) {
  Wire.beginTransmission(MPU6050_ADDRESS);
  Wire.write(reg);
  if (Wire.endTransmission(false) != 0) return false;
  if (Wire.requestFrom(MPU6050_ADDRESS, static_cast<uint8_t>(n)) != n) return false;
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(Wire.read());
  return true;
}

int axisIndex(char axis) { return axis == 'y' ? 1 : axis == 'z' ? 2 : 0; }

}  // namespace

Sensors::Sensors() : onewire_(PIN_ONEWIRE), ds18b20_(&onewire_), dht_(PIN_DHT, DHT22) {}

void IRAM_ATTR Sensors::onHallPulse() {
  uint32_t next = (g_pulse_head + 1) % kPulseSlots;
  if (next == g_pulse_tail) return;  // loop stalled: drop, the speed is re-measured from the next pulses
  g_pulses[g_pulse_head] = micros();
  g_pulse_head = next;
}

void Sensors::begin(const mt::DeviceConfig& config, mt::Device& device) {
  temp_kind_ = config.temp_sensor;
  if (temp_kind_ == mt::TempSensor::Ds18b20) {
    ds18b20_.begin();
    ds18b20_.setWaitForConversion(false);  // the loop must not block 750 ms
    ds18b20_.setResolution(12);
  } else if (temp_kind_ == mt::TempSensor::Dht22) {
    dht_.begin();
  } else {
    device.setSensorFault(mt::Sensor::Temperature, "not fitted (temp_sensor is none)");
  }

  history_lock_ = xSemaphoreCreateMutex();
  Wire.begin(PIN_I2C_SDA, PIN_I2C_SCL, 400000);
  // CONFIG validated these; a setup the chip cannot make falls back to the defaults rather than not sampling.
  if (!mt::mpu6050Setup(1000, config.accel_range_g, config.dlpf, mpu_)) mt::mpu6050Setup(1000, 2, 0, mpu_);
  mpu_ok_ = mpuInit();
  if (!mpu_ok_) device.setSensorFault(mt::Sensor::Accel, "missing: no MPU6050 at I2C 0x68 (SDA " + std::to_string(PIN_I2C_SDA) + ")");
  // Core 0 with the Wi-Fi stack, above the loop's priority: the FIFO holds only 170 ms of samples.
  xTaskCreatePinnedToCore(samplingTask, "mpu6050", 4096, this, 5, nullptr, 0);

  rpm_.setPulsesPerRev(device.calibration().pulses_per_rev);
  pinMode(PIN_HALL, INPUT_PULLUP);
  attachInterrupt(digitalPinToInterrupt(PIN_HALL), onHallPulse, FALLING);
}

bool Sensors::mpuInit() {
  uint8_t who = 0;
  if (!readRegs(kWhoAmI, &who, 1)) return false;
  return writeReg(kPwrMgmt1, 0x00)               // awake, internal 8 MHz oscillator
         && writeReg(kPwrMgmt2, 0x07)            // gyroscopes in standby: only acceleration is needed
         && writeReg(kSmplrtDiv, mpu_.smplrt_div) && writeReg(kConfig, mpu_.config) && writeReg(kAccelConfig, mpu_.accel_config) &&
         writeReg(kUserCtrl, 0x04)              // FIFO reset
         && writeReg(kFifoEn, 0x08)             // accelerometer into the FIFO
         && writeReg(kUserCtrl, 0x40);          // FIFO on
}

bool Sensors::mpuReadFifo() {
  uint8_t status = 0, count_bytes[2];
  if (!readRegs(kIntStatus, &status, 1) || !readRegs(kFifoCountH, count_bytes, 2)) return false;
  if (status & kFifoOverflowBit) {
    // Samples were lost: restart the FIFO so the stream stays aligned on whole samples.
    ++fifo_overflows_;
    return writeReg(kUserCtrl, 0x44);
  }
  size_t samples = ((static_cast<size_t>(count_bytes[0]) << 8) | count_bytes[1]) / kBytesPerSample;
  uint8_t buf[20 * kBytesPerSample];  // the I2C driver reads at most 128 bytes at a time
  while (samples) {
    size_t n = std::min<size_t>(samples, 20);
    if (!readRegs(kFifoRw, buf, n * kBytesPerSample)) return false;
    xSemaphoreTake(history_lock_, portMAX_DELAY);
    for (size_t i = 0; i < n; ++i) {
      const uint8_t* s = buf + i * kBytesPerSample;
      history_.push(static_cast<int16_t>(s[0] << 8 | s[1]), static_cast<int16_t>(s[2] << 8 | s[3]), static_cast<int16_t>(s[4] << 8 | s[5]));
    }
    xSemaphoreGive(history_lock_);
    samples -= n;
  }
  return true;
}

void Sensors::samplingTask(void* arg) {
  auto* self = static_cast<Sensors*>(arg);
  esp_task_wdt_add(nullptr);  // a hung I2C bus restarts the board instead of silently freezing the vibration data
  uint32_t retry_at = 0;
  for (;;) {
    esp_task_wdt_reset();
    if (self->mpu_ok_) {
      self->mpu_ok_ = self->mpuReadFifo();
    } else if (static_cast<int32_t>(millis() - retry_at) >= 0) {
      self->mpu_ok_ = self->mpuInit();
      retry_at = millis() + 5000;
    }
    vTaskDelay(pdMS_TO_TICKS(20));
  }
}

void Sensors::pollTemperature(mt::Device& device) {
  uint32_t now = millis();
  std::string fault;
  if (temp_kind_ == mt::TempSensor::Ds18b20) {
    if (!temp_pending_) {
      if (static_cast<int32_t>(now - temp_next_at_) < 0) return;
      if (ds18b20_.getDeviceCount() == 0) ds18b20_.begin();  // plugged in since boot?
      ds18b20_.requestTemperatures();
      temp_requested_at_ = now;
      temp_pending_ = true;
      return;
    }
    if (now - temp_requested_at_ < kDs18b20ConversionMs) return;
    temp_pending_ = false;
    temp_next_at_ = now + 250;
    float c = ds18b20_.getTempCByIndex(0);
    if (c == DEVICE_DISCONNECTED_C) fault = "missing: no DS18B20 answering on GPIO " + std::to_string(PIN_ONEWIRE);
    else if (c < -55 || c > 125) fault = "failed: DS18B20 read " + std::to_string(c) + " C, outside its range";
    temperature_c_ = fault.empty() ? c : NAN;
  } else if (temp_kind_ == mt::TempSensor::Dht22) {
    if (static_cast<int32_t>(now - temp_next_at_) < 0) return;
    temp_next_at_ = now + 2000;  // the DHT22 gives one reading per 2 s
    float c = dht_.readTemperature();
    if (std::isnan(c)) fault = "missing: no DHT22 answering on GPIO " + std::to_string(PIN_DHT);
    temperature_c_ = c;
  } else {
    return;
  }
  device.setSensorFault(mt::Sensor::Temperature, fault);
}

void Sensors::poll(mt::Device& device) {
  pollTemperature(device);
  while (g_pulse_tail != g_pulse_head) {
    rpm_.pulse(g_pulses[g_pulse_tail]);
    g_pulse_tail = (g_pulse_tail + 1) % kPulseSlots;
  }
  if (rpm_.pulsesPerRev() != device.calibration().pulses_per_rev) rpm_.setPulsesPerRev(device.calibration().pulses_per_rev);
  device.setSensorFault(mt::Sensor::Accel, mpu_ok_ ? "" : "failed: MPU6050 not answering on I2C");
  if (fifo_overflows_ != reported_overflows_) {
    device.log("warn", "MPU6050 FIFO overflowed: samples lost (" + std::to_string(fifo_overflows_) + " since boot)");
    reported_overflows_ = fifo_overflows_;
  }
}

mt::Telemetry Sensors::measure(const mt::Calibration& cal, uint32_t interval_ms, mt::RawReadings& raw) {
  mt::Telemetry t;
  raw.temperature_c = temperature_c_;
  t.set(mt::Reading::temperature, cal.temperature(temperature_c_));  // NaN stays NaN: sent as null

  // One FFT block (1.024 s at 1 kHz) covers the longest reporting interval (1 s at the slowest rate).
  const size_t n = velocity_.size();
  std::vector<int16_t>& counts = window_counts_;
  std::vector<double>& g = window_g_;
  xSemaphoreTake(history_lock_, portMAX_DELAY);
  size_t have = std::min(n, history_.size());
  for (int a = 0; a < 3; ++a) history_.latest(a, have, counts.data() + a * n);
  xSemaphoreGive(history_lock_);

  for (int a = 0; a < 3; ++a)
    for (size_t i = 0; i < have; ++i) g[a * n + i] = cal.accel(a, counts[a * n + i] * mpu_.scale_g_per_lsb);
  // The interval's samples are the newest ones; velocity needs a full FFT block, possibly longer.
  size_t interval = std::min(have, static_cast<size_t>(mpu_.sample_rate_hz * interval_ms / 1000));
  const double* axes[3] = {&g[0 * n + have - interval], &g[1 * n + have - interval], &g[2 * n + have - interval]};
  mt::VibrationSummary s = mt::summarize(axes, mpu_ok_ ? interval : 0);
  for (int a = 0; a < 3; ++a) raw.accel_mean_g[a] = s.mean[a] + cal.accel_zero[a];
  t.set(mt::Reading::vibration, s.rms_combined);
  t.set(mt::Reading::vib_peak, s.peak);
  t.set(mt::Reading::vib_x, s.rms[0]);
  t.set(mt::Reading::vib_y, s.rms[1]);
  t.set(mt::Reading::vib_z, s.rms[2]);
  double velocity = NAN;
  if (mpu_ok_ && have >= velocity_.size()) {
    // ISO 20816 judges the largest direction: report the worst axis.
    mt::Band band = mt::velocityBand(mpu_.sample_rate_hz, mpu_.bandwidth_hz);
    velocity = 0;
    for (int a = 0; a < 3; ++a)
      velocity = std::max(velocity, velocity_.rmsMmPerS(&g[a * n + have - velocity_.size()], mpu_.sample_rate_hz, band));
  }
  t.set(mt::Reading::vib_velocity, velocity);

  uint32_t now = micros();
  raw.pulse_hz = rpm_.pulseHz(now);
  t.set(mt::Reading::rpm, rpm_.rpm(now));
  return t;
}

bool Sensors::waveform(char axis, size_t n, const mt::Calibration& cal, mt::Waveform& out) {
  std::vector<int16_t> counts(n);
  xSemaphoreTake(history_lock_, portMAX_DELAY);
  bool enough = history_.size() >= n;
  if (enough) history_.latest(axisIndex(axis), n, counts.data());
  xSemaphoreGive(history_lock_);
  if (!enough || !mpu_ok_) return false;
  out.axis = axis;
  out.sample_rate_hz = mpu_.sample_rate_hz;
  out.scale_g_per_lsb = mpu_.scale_g_per_lsb;
  out.samples = mt::waveformSamples(counts.data(), n, mpu_.scale_g_per_lsb, cal.accel_zero[axisIndex(axis)]);
  return true;
}
