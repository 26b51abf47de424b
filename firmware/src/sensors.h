#pragma once
// The sensors: frame temperature (DS18B20 on OneWire, or DHT22), the MPU6050 accelerometer read from its FIFO
// by a task of its own, and the hall sensor counted by an interrupt. Everything computed from the readings is
// in the core (summarize, VelocityEstimator, RpmMeter); this file only moves bytes.
#include <DHT.h>
#include <DallasTemperature.h>
#include <OneWire.h>
#include <freertos/FreeRTOS.h>
#include <freertos/semphr.h>

#include <string>
#include <vector>

#include "motortwin/calibration.h"
#include "motortwin/config.h"
#include "motortwin/device.h"
#include "motortwin/mpu6050.h"
#include "motortwin/rpm.h"
#include "motortwin/velocity.h"
#include "motortwin/vibration.h"

class Sensors {
 public:
  Sensors();
  /** Probes every sensor, reports the missing ones to `device`, starts the sampling task and the interrupt. */
  void begin(const mt::DeviceConfig& config, mt::Device& device);
  /** Called every loop: temperature conversions, hall pulses, sensor health. */
  void poll(mt::Device& device);
  /** One telemetry message's readings, calibrated, for the last `interval_ms`. */
  mt::Telemetry measure(const mt::Calibration& cal, uint32_t interval_ms, mt::RawReadings& raw);
  /** A waveform block of the newest `n` samples of one axis; false when fewer have been taken yet. */
  bool waveform(char axis, size_t n, const mt::Calibration& cal, mt::Waveform& out);

 private:
  static void samplingTask(void* self);
  static void IRAM_ATTR onHallPulse();
  bool mpuInit();
  bool mpuReadFifo();
  void pollTemperature(mt::Device& device);

  mt::TempSensor temp_kind_ = mt::TempSensor::Ds18b20;
  OneWire onewire_;
  DallasTemperature ds18b20_;
  DHT dht_;
  double temperature_c_ = NAN;
  uint32_t temp_requested_at_ = 0, temp_next_at_ = 0;
  bool temp_pending_ = false;
  std::string temp_fault_;

  mt::Mpu6050Setup mpu_;
  mt::SampleHistory history_{4096};
  SemaphoreHandle_t history_lock_ = nullptr;
  volatile bool mpu_ok_ = false;
  volatile uint32_t fifo_overflows_ = 0;
  uint32_t reported_overflows_ = 0;
  mt::VelocityEstimator velocity_{1024};
  std::vector<int16_t> window_counts_ = std::vector<int16_t>(3 * 1024);  // allocated once: no heap churn per report
  std::vector<double> window_g_ = std::vector<double>(3 * 1024);

  mt::RpmMeter rpm_;
};
