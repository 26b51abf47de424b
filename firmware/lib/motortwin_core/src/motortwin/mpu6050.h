#pragma once
// MPU6050 register values for a sample rate, range and digital low-pass filter, worked out here so the
// arithmetic is tested on the host and the driver only writes bytes.
#include <cstdint>

namespace mt {

struct Mpu6050Setup {
  uint8_t smplrt_div = 0;    // register 0x19
  uint8_t config = 0;        // register 0x1A: DLPF_CFG
  uint8_t accel_config = 0;  // register 0x1C: AFS_SEL << 3
  double sample_rate_hz = 0;
  double scale_g_per_lsb = 0;
  double bandwidth_hz = 0;  // the accelerometer's low-pass bandwidth at this DLPF setting
};

/** False for a rate the chip cannot make exactly (accelerometer output is at most 1 kHz) or a bad range/DLPF. */
bool mpu6050Setup(int sample_rate_hz, int range_g, int dlpf, Mpu6050Setup& out);

}  // namespace mt
