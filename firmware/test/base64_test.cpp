#include <doctest/doctest.h>

#include <string>

#include "motortwin/base64.h"

TEST_CASE("base64: RFC 4648 test vectors") {
  auto enc = [](const std::string& s) { return mt::base64Encode(reinterpret_cast<const uint8_t*>(s.data()), s.size()); };
  CHECK(enc("") == "");
  CHECK(enc("f") == "Zg==");
  CHECK(enc("fo") == "Zm8=");
  CHECK(enc("foo") == "Zm9v");
  CHECK(enc("foob") == "Zm9vYg==");
  CHECK(enc("fooba") == "Zm9vYmE=");
  CHECK(enc("foobar") == "Zm9vYmFy");
  CHECK(enc("\xff\xfe\xfd") == "//79");
}

TEST_CASE("base64: int16 little-endian samples, as PROTOCOL.md's example") {
  const int16_t ramp[] = {0, 1, 2};
  CHECK(mt::encodeInt16LeBase64(ramp, 3) == "AAABAAIA");  // the "AAABAAIA..." of PROTOCOL.md
  const int16_t extremes[] = {-1, INT16_MIN, INT16_MAX, 256};
  CHECK(mt::encodeInt16LeBase64(extremes, 4) == "//8AgP9/AAE=");  // ff ff 00 80 ff 7f 00 01
}

TEST_CASE("base64: waveform sample counts as decode.ts checks them") {
  size_t n = 0;
  std::string reason;
  const int16_t block[1024] = {};
  CHECK(mt::waveformSampleCount(mt::encodeInt16LeBase64(block, 1024), n, reason));
  CHECK(n == 1024);
  CHECK_FALSE(mt::waveformSampleCount("@@@@", n, reason));
  CHECK(reason.rfind("encoding: ", 0) == 0);
  CHECK_FALSE(mt::waveformSampleCount("AA=A", n, reason));
  CHECK_FALSE(mt::waveformSampleCount("AAA", n, reason));
  CHECK_FALSE(mt::waveformSampleCount("AAA=", n, reason));  // 2 bytes: one sample
  CHECK(reason.rfind("length: ", 0) == 0);
  CHECK_FALSE(mt::waveformSampleCount(mt::encodeInt16LeBase64(block, 1000), n, reason));
  CHECK(reason == "length: a waveform block needs a power-of-two sample count, got 1000");
}
