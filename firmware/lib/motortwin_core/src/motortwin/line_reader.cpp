#include "motortwin/line_reader.h"

namespace mt {

LineReader::Result LineReader::feed(char c) {
  if (complete_) {
    line_.clear();
    complete_ = false;
  }
  if (c == '\n') {
    if (overflowing_) {
      overflowing_ = false;
      line_.clear();
      return Result::Overflow;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    complete_ = true;
    return Result::Line;
  }
  if (overflowing_) {
    ++overflow_bytes_;
  } else if (line_.size() >= max_) {
    overflowing_ = true;
    overflow_bytes_ = line_.size() + 1;
    line_.clear();
  } else {
    line_ += c;
  }
  return Result::None;
}

}  // namespace mt
