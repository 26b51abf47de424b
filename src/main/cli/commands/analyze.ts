import { resolve } from 'node:path';
import { analyzeVibration, type VibrationAnalysis } from '../../vibration/analyze';
import { readRecording } from '../../vibration/recordings';
import type { Peak } from '../../vibration/spectrum';
import { UsageError, type CliCommand } from '../command';
import { parse } from '../options';

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  usage: `motortwin analyze FILE --fs HZ --rpm RPM --bearing NAME [--channel NAME] [--scale G] [--json]
  --fs HZ          sample rate of the recording (a WAV's own rate is used, with a warning, when they differ)
  --rpm RPM        shaft speed (default: the rpm stored in a CWRU .mat file)
  --bearing NAME   catalogue bearing: 6205, 6203, 6206, 6305, 6306, 6309, ZA-2115 (CWRU: 6205 at the drive
                   end, 6203 at the fan end)
  --channel NAME   .mat variable (default *_DE_time; DE, FE or BA pick CWRU's drive-end, fan-end or base
                   accelerometer), CSV column name or index, WAV channel number
  --scale G        g per full scale, for WAV files (their samples are fractions of full scale)
  --json           print one JSON object instead of the report`,
  async run(args, io) {
    const { values: v, positionals } = parse(
      args,
      { fs: { type: 'string' }, rpm: { type: 'string' }, bearing: { type: 'string' }, channel: { type: 'string' }, scale: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('give exactly one recording FILE');
    if (!v.bearing) throw new UsageError('--bearing is required (e.g. --bearing 6205)');
    const rec = readRecording(resolve(positionals[0]), v.channel);
    const warnings: string[] = [];
    let fs = v.fs !== undefined ? Number(v.fs) : rec.fileFs;
    if (fs === undefined || !(fs > 0)) throw new UsageError('--fs must be the sample rate in Hz, e.g. --fs 12000');
    if (rec.fileFs !== undefined && rec.fileFs !== fs) {
      warnings.push(`--fs ${fs} differs from the ${rec.fileFs} Hz the WAV header states; using the header's rate`);
      fs = rec.fileFs;
    }
    const rpm = v.rpm !== undefined ? Number(v.rpm) : rec.fileRpm;
    if (rpm === undefined || !(rpm > 0)) throw new UsageError('--rpm must be the shaft speed in r/min, e.g. --rpm 1797');
    if (rec.fileRpm !== undefined && Math.abs(rec.fileRpm - rpm) / rec.fileRpm > 0.02) warnings.push(`--rpm ${rpm} differs from the ${rec.fileRpm} r/min stored in the file`);
    let samples = rec.samples;
    if (rec.unit === 'full-scale') {
      const scale = v.scale !== undefined ? Number(v.scale) : NaN;
      if (Number.isFinite(scale) && scale > 0) samples = samples.map((x) => x * scale);
      else warnings.push('WAV samples are fractions of full scale and no --scale was given: levels (g, mm/s, ISO zone) are not in g; frequencies and the diagnosis still hold');
    }
    const a = analyzeVibration({ samples, fs, rpm, bearing: v.bearing });
    const all = [...warnings, ...a.warnings];
    io.out(v.json ? JSON.stringify(toJson(a, all), null, 2) : report(a, rec.channel, all));
    return 0;
  },
};

const r = (x: number, digits = 4) => Number(x.toPrecision(digits));
const peaks = (ps: Peak[]) => ps.map((p) => ({ hz: r(p.hz, 6), amplitude: r(p.amplitude) }));

function toJson(a: VibrationAnalysis, warnings: string[]) {
  return {
    rms_g: r(a.rmsG),
    velocity_rms_mm_s: r(a.velocityRmsMmS),
    kurtosis: r(a.kurtosis),
    crest_factor: r(a.crestFactor),
    shaft_hz: r(a.shaftHz, 6),
    bearing_hz: { bpfo: r(a.bearingHz.bpfo, 6), bpfi: r(a.bearingHz.bpfi, 6), bsf: r(a.bearingHz.bsf, 6), ftf: r(a.bearingHz.ftf, 6) },
    spectrum_peaks: peaks(a.spectrumPeaks),
    envelope_peaks: peaks(a.envelope?.peaks ?? []),
    diagnosis: { fault: a.diagnosis.fault, confidence: r(a.diagnosis.confidence, 3), evidence: a.diagnosis.evidence },
    warnings,
  };
}

function report(a: VibrationAnalysis, channel: string, warnings: string[]): string {
  const line = (ps: Peak[]) => ps.slice(0, 6).map((p) => `${p.hz.toFixed(1)} Hz ${p.amplitude.toPrecision(3)} g`).join(', ') || 'none';
  const band = a.velocityBand;
  return [
    `${channel}: ${a.samples} samples at ${a.fs} Hz (${a.durationS.toFixed(2)} s), ${a.rpm} r/min (1x = ${a.shaftHz.toFixed(2)} Hz), bearing ${a.bearing.designation}`,
    `  acceleration  ${a.rmsG.toFixed(4)} g RMS, peak ${a.peakG.toFixed(3)} g, crest factor ${a.crestFactor.toFixed(2)}, kurtosis ${a.kurtosis.toFixed(2)}`,
    `  velocity      ${a.velocityRmsMmS.toFixed(2)} mm/s RMS over ${band.loHz.toFixed(0)}-${band.hiHz.toFixed(0)} Hz: ISO 20816-3 group ${a.iso.group} ${a.iso.foundation}, zone ${a.iso.zone} (${a.iso.meaning})`,
    `  bearing lines BPFO ${a.bearingHz.bpfo.toFixed(1)} Hz, BPFI ${a.bearingHz.bpfi.toFixed(1)} Hz, BSF ${a.bearingHz.bsf.toFixed(1)} Hz, FTF ${a.bearingHz.ftf.toFixed(2)} Hz`,
    `  spectrum      ${line(a.spectrumPeaks)}`,
    a.envelope ? `  envelope      band ${a.envelope.band.lowHz.toFixed(0)}-${a.envelope.band.highHz.toFixed(0)} Hz (${a.envelope.method}, kurtosis ${a.envelope.band.kurtosis.toFixed(2)}): ${line(a.envelope.peaks)}` : '  envelope      not computed',
    `  diagnosis     ${a.diagnosis.fault} (confidence ${a.diagnosis.confidence.toFixed(2)})`,
    `                ${a.diagnosis.evidence}`,
    ...warnings.map((w) => `  warning: ${w}`),
  ].join('\n');
}
