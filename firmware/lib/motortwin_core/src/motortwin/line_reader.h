#pragma once
// Assembles serial bytes into lines, with a hard length limit: an endless line (a stuck sender, a binary
// flood) is discarded up to its newline instead of growing a buffer until the heap runs out.
#include <cstddef>
#include <string>

namespace mt {

class LineReader {
 public:
  explicit LineReader(size_t max_bytes) : max_(max_bytes) { line_.reserve(max_bytes); }

  enum class Result { None, Line, Overflow };
  /** Feed one byte. `Line`: line() holds it (without "\r\n"). `Overflow`: a line of overflowBytes() was dropped. */
  Result feed(char c);
  const std::string& line() const { return line_; }
  size_t overflowBytes() const { return overflow_bytes_; }

 private:
  size_t max_;
  std::string line_;
  bool complete_ = false, overflowing_ = false;
  size_t overflow_bytes_ = 0;
};

}  // namespace mt
