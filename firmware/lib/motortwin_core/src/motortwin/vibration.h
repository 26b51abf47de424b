#pragma once
// Vibration from accelerometer samples: the recent history, per-interval RMS / peak / crest factor, and
// waveform blocks.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "motortwin/messages.h"

namespace mt {

/** The last `capacity` raw samples of each axis (MPU6050 counts), oldest overwritten. */
class SampleHistory {
 public:
  explicit SampleHistory(size_t capacity) : axes_{std::vector<int16_t>(capacity), std::vector<int16_t>(capacity), std::vector<int16_t>(capacity)} {}
  void push(int16_t x, int16_t y, int16_t z);
  size_t size() const { return size_; }
  size_t capacity() const { return axes_[0].size(); }
  /** Copies the newest `n` samples of one axis (0-2), oldest first; n must be <= size(). */
  void latest(int axis, size_t n, int16_t* out) const;

 private:
  std::vector<int16_t> axes_[3];
  size_t next_ = 0, size_ = 0;
};

struct VibrationSummary {
  double rms[3] = {NAN, NAN, NAN};  // g RMS per axis, static (gravity) part removed
  double mean[3] = {NAN, NAN, NAN};  // g, the static part
  double rms_combined = NAN;         // sqrt(x² + y² + z²) of the per-axis RMS: PROTOCOL's "vibration"
  double peak = NAN;                 // g, largest magnitude of the dynamic acceleration vector
  /** Peak over RMS: √2 for a pure sine, higher for impacts (bearing defects). Sent as vib_peak / vibration. */
  double crest() const { return rms_combined > 0 ? peak / rms_combined : NAN; }
};

/** Summarises `n` samples per axis, already in g. With no samples every value is NaN (a null reading). */
VibrationSummary summarize(const double* const axes[3], size_t n);

/**
 * Waveform samples with the calibration's zero taken off (rounded to counts and clamped to int16), encoded as
 * PROTOCOL.md's int16le-base64.
 */
std::string waveformSamples(const int16_t* raw, size_t n, double scale_g_per_lsb, double zero_g);

}  // namespace mt
