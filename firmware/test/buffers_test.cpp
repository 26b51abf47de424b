// The offline ring buffer, the serial line reader and the reconnect backoff.
#include <doctest/doctest.h>

#include <string>

#include "motortwin/backoff.h"
#include "motortwin/line_reader.h"
#include "motortwin/ring_buffer.h"

TEST_CASE("ring buffer: first in, first out") {
  mt::RingBuffer<int> b(3);
  CHECK(b.empty());
  b.push(1);
  b.push(2);
  CHECK(b.front() == 1);
  b.pop();
  b.push(3);
  b.push(4);
  CHECK(b.size() == 3);
  for (int want : {2, 3, 4}) {
    CHECK(b.front() == want);
    b.pop();
  }
  CHECK(b.empty());
  b.pop();  // harmless when empty
  CHECK(b.size() == 0);
  CHECK(b.dropped() == 0);
}

TEST_CASE("ring buffer: overflow drops the oldest and counts it") {
  mt::RingBuffer<int> b(4);
  for (int i = 0; i < 10; ++i) b.push(i);
  CHECK(b.size() == 4);
  CHECK(b.dropped() == 6);
  for (int want : {6, 7, 8, 9}) {
    CHECK(b.front() == want);
    b.pop();
  }
}

namespace {
std::string feed(mt::LineReader& r, const std::string& bytes, mt::LineReader::Result& last) {
  std::string got;
  for (char c : bytes) {
    last = r.feed(c);
    if (last == mt::LineReader::Result::Line) got += "[" + r.line() + "]";
    if (last == mt::LineReader::Result::Overflow) got += "<overflow " + std::to_string(r.overflowBytes()) + ">";
  }
  return got;
}
}  // namespace

TEST_CASE("line reader: lines, CR LF, and an oversized line dropped whole") {
  mt::LineReader r(8);
  mt::LineReader::Result last;
  CHECK(feed(r, "abc\ndef\r\n\n", last) == "[abc][def][]");
  CHECK(feed(r, "0123456789abcdef\nok\n", last) == "<overflow 16>[ok]");
  CHECK(feed(r, "12345678\n", last) == "[12345678]");
  CHECK(feed(r, "partial", last).empty());
  CHECK(last == mt::LineReader::Result::None);
}

TEST_CASE("backoff: doubles to the cap with jitter, resets on success") {
  mt::Backoff b(1000, 8000);
  CHECK(b.next(0.999999) == doctest::Approx(1000).epsilon(0.001));
  CHECK(b.next(0.999999) == doctest::Approx(2000).epsilon(0.001));
  CHECK(b.next(0) == 2000);  // half of 4000
  CHECK(b.next(0.999999) == doctest::Approx(8000).epsilon(0.001));
  CHECK(b.next(0.999999) == doctest::Approx(8000).epsilon(0.001));
  for (int i = 0; i < 100; ++i) CHECK(b.next(0.5) <= 8000);
  CHECK(b.attempts() == 105);
  b.reset();
  CHECK(b.next(0) == 500);
}
