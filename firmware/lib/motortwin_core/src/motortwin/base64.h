#pragma once
// Base64 (RFC 4648, standard alphabet, padded) and the waveform sample encoding of PROTOCOL.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mt {

std::string base64Encode(const uint8_t* data, size_t size);
/** Samples as int16 little-endian bytes, then base64: the protocol's "int16le-base64". */
std::string encodeInt16LeBase64(const int16_t* samples, size_t count);
/**
 * The sample count a waveform's "samples" text holds, or a reason ("encoding: ..." or "length: ...") when it
 * is not whole int16 values in a power-of-two block (decode.ts checkWaveformSamples).
 */
bool waveformSampleCount(std::string_view samples, size_t& count, std::string& reason);

}  // namespace mt
