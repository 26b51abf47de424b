#pragma once
// Reconnect delays: doubling from `initial` to `max`, with jitter so a plant full of boards rebooted by one
// power cut does not hammer the broker in lockstep.
#include <cstdint>

namespace mt {

class Backoff {
 public:
  Backoff(uint32_t initial_ms = 1000, uint32_t max_ms = 60000) : initial_(initial_ms), max_(max_ms) {}
  /** The wait before the next attempt; `random01` in [0, 1) picks the jitter (between half and all of it). */
  uint32_t next(double random01);
  void reset() { attempts_ = 0; }
  uint32_t attempts() const { return attempts_; }

 private:
  uint32_t initial_, max_;
  uint32_t attempts_ = 0;
};

}  // namespace mt
