#include "motortwin/mpu6050.h"

namespace mt {

bool mpu6050Setup(int rate, int range_g, int dlpf, Mpu6050Setup& out) {
  static const double kBandwidthHz[] = {260, 184, 94, 44, 21, 10, 5};  // datasheet, accelerometer column
  if (dlpf < 0 || dlpf > 6 || rate < 4 || rate > 1000) return false;
  int afs = range_g == 2 ? 0 : range_g == 4 ? 1 : range_g == 8 ? 2 : range_g == 16 ? 3 : -1;
  if (afs < 0) return false;
  // The sample rate divides the gyro output rate: 8 kHz with the DLPF off (0), 1 kHz with it on.
  int base = dlpf == 0 ? 8000 : 1000;
  if (base % rate || base / rate - 1 > 255) return false;
  out.smplrt_div = static_cast<uint8_t>(base / rate - 1);
  out.config = static_cast<uint8_t>(dlpf);
  out.accel_config = static_cast<uint8_t>(afs << 3);
  out.sample_rate_hz = rate;
  out.scale_g_per_lsb = range_g / 32768.0;
  out.bandwidth_hz = kBandwidthHz[dlpf];
  return true;
}

}  // namespace mt
