#include "motortwin/base64.h"

namespace mt {

namespace {
const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool inAlphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}
}  // namespace

std::string base64Encode(const uint8_t* data, size_t size) {
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    uint32_t chunk = static_cast<uint32_t>(data[i]) << 16;
    if (i + 1 < size) chunk |= static_cast<uint32_t>(data[i + 1]) << 8;
    if (i + 2 < size) chunk |= data[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

std::string encodeInt16LeBase64(const int16_t* samples, size_t count) {
  std::string bytes(count * 2, '\0');
  for (size_t i = 0; i < count; ++i) {
    auto u = static_cast<uint16_t>(samples[i]);
    bytes[2 * i] = static_cast<char>(u & 0xFF);  // little-endian whatever the CPU is
    bytes[2 * i + 1] = static_cast<char>(u >> 8);
  }
  return base64Encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

bool waveformSampleCount(std::string_view s, size_t& count, std::string& reason) {
  size_t padding = 0;
  while (padding < 2 && padding < s.size() && s[s.size() - 1 - padding] == '=') ++padding;
  bool alphabet = s.size() % 4 == 0;
  for (size_t i = 0; alphabet && i < s.size() - padding; ++i) alphabet = inAlphabet(s[i]);
  if (!alphabet) {
    reason = "encoding: samples is not valid base64";
    return false;
  }
  size_t bytes = s.size() / 4 * 3 - padding;
  if (bytes % 2) {
    reason = "encoding: samples hold an odd number of bytes (int16 needs two per sample)";
    return false;
  }
  count = bytes / 2;
  if (count < 2 || (count & (count - 1))) {
    reason = "length: a waveform block needs a power-of-two sample count, got " + std::to_string(count);
    return false;
  }
  return true;
}

}  // namespace mt
