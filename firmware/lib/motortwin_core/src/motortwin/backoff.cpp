#include "motortwin/backoff.h"

#include <algorithm>

namespace mt {

uint32_t Backoff::next(double random01) {
  uint64_t delay = initial_;
  for (uint32_t i = 0; i < attempts_ && delay < max_; ++i) delay *= 2;
  delay = std::min<uint64_t>(delay, max_);
  ++attempts_;
  double r = std::clamp(random01, 0.0, 1.0);
  return static_cast<uint32_t>(static_cast<double>(delay) * (0.5 + 0.5 * r));
}

}  // namespace mt
