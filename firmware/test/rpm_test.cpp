// RPM from pulse timings.
#include <doctest/doctest.h>

#include <cstdint>

#include "motortwin/rpm.h"

TEST_CASE("rpm: steady pulses, pulses per revolution") {
  mt::RpmMeter m;
  m.setPulsesPerRev(2);
  uint32_t t = 1000;
  for (int i = 0; i < 10; ++i, t += 20000) m.pulse(t);  // 2 pulses per rev every 20 ms: 1500 rpm
  CHECK(m.rpm(t - 20000) == doctest::Approx(1500));
  CHECK(m.pulseHz(t - 20000) == doctest::Approx(50));
}

TEST_CASE("rpm: unevenly spaced magnets average out over a revolution") {
  mt::RpmMeter m;
  m.setPulsesPerRev(2);
  uint32_t t = 0;
  for (int i = 0; i < 9; ++i) {
    m.pulse(t);
    t += i % 2 ? 25000 : 15000;
  }
  CHECK(m.rpm(t - 15000) == doctest::Approx(1500));
}

TEST_CASE("rpm: contact bounce is debounced") {
  mt::RpmMeter m(500);
  uint32_t t = 0;
  for (int i = 0; i < 10; ++i, t += 40000) {
    m.pulse(t);
    m.pulse(t + 80);  // bounce
    m.pulse(t + 300);
  }
  CHECK(m.rpm(t - 40000) == doctest::Approx(1500));
  CHECK(m.rejected() == 20);
}

TEST_CASE("rpm: zero after the timeout, and no speed from a single pulse") {
  mt::RpmMeter m(200, 2000000);
  CHECK(m.rpm(0) == 0);
  m.pulse(100);
  CHECK(m.rpm(200) == 0);
  for (uint32_t t = 40100; t <= 400100; t += 40000) m.pulse(t);
  CHECK(m.rpm(400100) == doctest::Approx(1500));
  CHECK(m.rpm(400100 + 2000001) == 0);
}

TEST_CASE("rpm: a coasting shaft reads lower as the pulses stop coming") {
  mt::RpmMeter m;
  for (uint32_t t = 0; t <= 400000; t += 40000) m.pulse(t);
  CHECK(m.rpm(400000 + 20000) == doctest::Approx(1500));
  CHECK(m.rpm(400000 + 80000) == doctest::Approx(750));
  CHECK(m.rpm(400000 + 1000000) == doctest::Approx(60));
}

TEST_CASE("rpm: micros() wrapping past 2^32 changes nothing") {
  mt::RpmMeter m;
  uint32_t t = 0xFFFFFFFFu - 100000;
  for (int i = 0; i < 10; ++i, t += 40000) m.pulse(t);
  CHECK(m.rpm(t - 40000) == doctest::Approx(1500));
}

TEST_CASE("rpm: a new pulses_per_rev starts measuring afresh") {
  mt::RpmMeter m;
  for (uint32_t t = 0; t <= 200000; t += 20000) m.pulse(t);
  CHECK(m.rpm(200000) == doctest::Approx(3000));
  m.setPulsesPerRev(2);
  CHECK(m.rpm(200000) == 0);
  for (uint32_t t = 220000; t <= 400000; t += 20000) m.pulse(t);
  CHECK(m.rpm(400000) == doctest::Approx(1500));
  m.setPulsesPerRev(0);
  CHECK(m.pulsesPerRev() == 1);
}
