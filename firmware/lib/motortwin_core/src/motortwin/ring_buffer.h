#pragma once
// A fixed-capacity FIFO for telemetry held while the broker is unreachable. When full, the oldest entry goes:
// the newest data says most about the motor now, and the drop is counted so the host can see the gap (seq).
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mt {

template <typename T>
class RingBuffer {
 public:
  /** Storage is allocated once, here: no heap churn on the device afterwards. */
  explicit RingBuffer(size_t capacity) : slots_(capacity ? capacity : 1) {}

  void push(T value) {
    if (count_ == slots_.size()) {
      head_ = (head_ + 1) % slots_.size();
      --count_;
      ++dropped_;
    }
    slots_[(head_ + count_) % slots_.size()] = std::move(value);
    ++count_;
  }
  const T& front() const { return slots_[head_]; }
  void pop() {
    if (!count_) return;
    head_ = (head_ + 1) % slots_.size();
    --count_;
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  size_t capacity() const { return slots_.size(); }
  /** Entries lost to overflow since start. */
  uint32_t dropped() const { return dropped_; }

 private:
  std::vector<T> slots_;
  size_t head_ = 0, count_ = 0;
  uint32_t dropped_ = 0;
};

}  // namespace mt
