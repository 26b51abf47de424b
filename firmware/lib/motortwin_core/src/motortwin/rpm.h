#pragma once
// Shaft speed from hall sensor or encoder pulse times (microseconds, as micros() gives them: they wrap every
// 71 minutes, so only differences are used).
#include <cstddef>
#include <cstdint>

namespace mt {

class RpmMeter {
 public:
  /**
   * `debounce_us`: a pulse closer than this to the last accepted one is contact bounce or noise.
   * `timeout_us`: with no pulse for this long the shaft is standing: 0 rpm, not the last speed seen.
   */
  explicit RpmMeter(uint32_t debounce_us = 200, uint32_t timeout_us = 3000000) : debounce_us_(debounce_us), timeout_us_(timeout_us) {}

  void setPulsesPerRev(int ppr);
  int pulsesPerRev() const { return ppr_; }
  void pulse(uint32_t t_us);
  /** Revolutions per minute at `now_us`; 0 when stopped. */
  double rpm(uint32_t now_us) const;
  /** Accepted pulses per second (what a new pulses_per_rev is checked against); 0 when stopped. */
  double pulseHz(uint32_t now_us) const;
  uint32_t rejected() const { return rejected_; }

 private:
  static constexpr size_t kSlots = 65;  // one revolution of the largest pulses_per_rev, plus one
  uint32_t times_[kSlots] = {};
  size_t next_ = 0, count_ = 0;
  int ppr_ = 1;
  uint32_t debounce_us_, timeout_us_;
  uint32_t rejected_ = 0;
};

}  // namespace mt
