#pragma once
// Host-to-device commands of PROTOCOL.md, parsed and validated with the ranges of
// src/shared/protocol/commands.ts. Two device extensions, not yet in PROTOCOL.md: CONFIG (provisioning, serial
// only) and WAVEFORM (send a waveform block now).
#include <cstdint>
#include <string>
#include <string_view>

#include "motortwin/config.h"
#include "motortwin/messages.h"

namespace mt {

enum class Transport : uint8_t { Mqtt, Serial };

enum class Action : uint8_t { ReduceLoad, SetSpeed, Stop, Start, Identify, SetRate, Calibrate, Reboot, Waveform, Config };
const char* actionName(Action a);

enum class CalSensor : uint8_t { Temperature, Accel, Rpm };

struct CalibrateArgs {
  CalSensor sensor = CalSensor::Temperature;
  double offset = 0;  // temperature: corrected = raw * gain + offset
  double gain = 1;
  double zero[3] = {0, 0, 0};  // accel: g subtracted from x, y, z
  int pulses_per_rev = 1;      // rpm
};

struct WaveformArgs {
  char axis = 0;    // 0: every axis
  int samples = 0;  // 0: the configured block length
};

struct Command {
  OptionalText id;  // set even when the rest is invalid, so a rejection can name the command
  std::string issued_at, expires_at;
  Action action = Action::Stop;
  double value = 0;  // REDUCE_LOAD %, SET_SPEED rpm, SET_RATE Hz
  CalibrateArgs calibrate;
  WaveformArgs waveform;
  ConfigUpdate config;
};

struct CommandResult {
  bool ok = false;
  Command command;
  std::string reason;  // "<keyword>: ..." as decode.ts words it
};

// The protocol's ranges (commands.ts); a motor's nameplate narrows SET_SPEED further when it is applied.
constexpr double kMaxReduceLoadPct = 50;
constexpr double kMaxSpeedRpm = 100000;
constexpr double kMinRateHz = 1, kMaxRateHz = 10;
constexpr double kMaxTempOffset = 20, kMinTempGain = 0.5, kMaxTempGain = 2;
constexpr double kMaxAccelZeroG = 0.5;
constexpr int kMaxPulsesPerRev = 64;
constexpr int kMinWaveformSamples = 1024, kMaxWaveformSamples = 4096;

/** One command line or MQTT payload; `raw` is the whole text, "type":"command" included over serial. */
CommandResult decodeCommand(std::string_view raw, Transport transport);

}  // namespace mt
