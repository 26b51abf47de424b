#include "motortwin/rpm.h"

#include <algorithm>

namespace mt {

void RpmMeter::setPulsesPerRev(int ppr) {
  ppr_ = std::clamp(ppr, 1, static_cast<int>(kSlots) - 1);
  count_ = 0;  // intervals measured with the old spacing would mix two scales
}

void RpmMeter::pulse(uint32_t t) {
  if (count_ && t - times_[(next_ + kSlots - 1) % kSlots] < debounce_us_) {
    ++rejected_;
    return;
  }
  times_[next_] = t;
  next_ = (next_ + 1) % kSlots;
  count_ = std::min(count_ + 1, kSlots);
}

double RpmMeter::pulseHz(uint32_t now) const {
  if (count_ < 2) return 0;
  uint32_t last = times_[(next_ + kSlots - 1) % kSlots];
  uint32_t since = now - last;
  if (since > timeout_us_) return 0;
  // Average over up to one revolution: magnets that are not evenly spaced then cancel out.
  size_t intervals = std::min(count_ - 1, static_cast<size_t>(ppr_));
  uint32_t first = times_[(next_ + kSlots - 1 - intervals) % kSlots];
  double hz = 1e6 * static_cast<double>(intervals) / static_cast<double>(last - first);
  // A coasting shaft sends no pulse to measure: the time since the last one bounds the speed from above.
  if (since > 0) hz = std::min(hz, 1e6 / static_cast<double>(since));
  return hz;
}

double RpmMeter::rpm(uint32_t now) const { return pulseHz(now) * 60.0 / ppr_; }

}  // namespace mt
