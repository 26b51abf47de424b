#include "motortwin/vibration.h"

#include <algorithm>
#include <cmath>

#include "motortwin/base64.h"

namespace mt {

void SampleHistory::push(int16_t x, int16_t y, int16_t z) {
  axes_[0][next_] = x;
  axes_[1][next_] = y;
  axes_[2][next_] = z;
  next_ = (next_ + 1) % capacity();
  size_ = std::min(size_ + 1, capacity());
}

void SampleHistory::latest(int axis, size_t n, int16_t* out) const {
  size_t start = (next_ + capacity() - n) % capacity();
  const auto& a = axes_[axis];
  for (size_t i = 0; i < n; ++i) out[i] = a[(start + i) % capacity()];
}

VibrationSummary summarize(const double* const axes[3], size_t n) {
  VibrationSummary s;
  if (n == 0) return s;
  double sum_sq = 0;
  for (int a = 0; a < 3; ++a) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += axes[a][i];
    s.mean[a] = sum / static_cast<double>(n);
    double sq = 0;
    for (size_t i = 0; i < n; ++i) sq += (axes[a][i] - s.mean[a]) * (axes[a][i] - s.mean[a]);
    s.rms[a] = std::sqrt(sq / static_cast<double>(n));
    sum_sq += s.rms[a] * s.rms[a];
  }
  s.rms_combined = std::sqrt(sum_sq);
  double peak_sq = 0;
  for (size_t i = 0; i < n; ++i) {
    double m = 0;
    for (int a = 0; a < 3; ++a) m += (axes[a][i] - s.mean[a]) * (axes[a][i] - s.mean[a]);
    peak_sq = std::max(peak_sq, m);
  }
  s.peak = std::sqrt(peak_sq);
  return s;
}

std::string waveformSamples(const int16_t* raw, size_t n, double scale_g_per_lsb, double zero_g) {
  std::vector<int16_t> out(n);
  long zero = std::lround(zero_g / scale_g_per_lsb);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<int16_t>(std::clamp<long>(raw[i] - zero, INT16_MIN, INT16_MAX));
  return encodeInt16LeBase64(out.data(), n);
}

}  // namespace mt
