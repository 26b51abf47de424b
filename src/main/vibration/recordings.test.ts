import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv, readRecording, readWav, RecordingError } from './recordings';
import { SHARED_DATA } from './testData';

function wav(format: 1 | 3, bits: number, channels: number, frames: number[][], fs = 25600): Buffer {
  const width = bits / 8;
  const data = Buffer.alloc(frames.length * channels * width);
  frames.forEach((f, i) =>
    f.forEach((v, c) => {
      const o = (i * channels + c) * width;
      if (format === 3) data.writeFloatLE(v, o);
      else if (bits === 16) data.writeInt16LE(Math.round(v * 32767), o);
      else if (bits === 24) data.writeIntLE(Math.round(v * 8388607), o, 3);
      else data.writeInt32LE(Math.round(v * 2147483647), o);
    }),
  );
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(format, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(fs, 4);
  fmt.writeUInt32LE(fs * channels * width, 8);
  fmt.writeUInt16LE(channels * width, 12);
  fmt.writeUInt16LE(bits, 14);
  const chunk = (id: string, b: Buffer) => Buffer.concat([Buffer.from(id), Buffer.from(new Uint32Array([b.length]).buffer), b]);
  const body = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), chunk('data', data)]);
  return Buffer.concat([Buffer.from('RIFF'), Buffer.from(new Uint32Array([body.length]).buffer), body]);
}

describe('recorded waveforms', () => {
  it('takes the drive-end channel and the rpm from a CWRU .mat file by default, another with --channel', () => {
    const r = readRecording(join(SHARED_DATA, 'cwru/OR007@6_0.mat'));
    expect(r).toMatchObject({ channel: 'X130_DE_time', fileRpm: 1796, unit: 'g' });
    expect(r.channels).toEqual(['X130_DE_time', 'X130_FE_time', 'X130_BA_time']);
    expect(readRecording(join(SHARED_DATA, 'cwru/OR007@6_0.mat'), 'X130_FE_time').channel).toBe('X130_FE_time');
    expect(() => readRecording(join(SHARED_DATA, 'cwru/OR007@6_0.mat'), 'X999')).toThrow(/no vector "X999".*X130_DE_time/);
  });

  it('reads a one-column CSV, or a named column, and marks empty cells as NaN', () => {
    expect(Array.from(readCsv('0.1\n-0.2\n0.3\n').samples)).toEqual([0.1, -0.2, 0.3]);
    const named = readCsv('time,accel_x,accel_y\n0,0.5,1\n0.001,-0.5,2\n', 'accel_x');
    expect(named.channel).toBe('accel_x');
    expect(Array.from(named.samples)).toEqual([0.5, -0.5]);
    expect(() => readCsv('a,b\n1,2\n')).toThrow(/pick one with --channel/);
    expect(Number.isNaN(readCsv('x\n1\n\n,\n').samples[1])).toBe(true);
  });

  it('reads WAV PCM 16/24/32-bit and float32, with the rate the header states', () => {
    const frames = [[0.5, -0.25], [-0.5, 0.25], [0.125, 0]];
    for (const [format, bits] of [[1, 16], [1, 24], [1, 32], [3, 32]] as const) {
      const r = readWav(wav(format, bits, 2, frames), '1');
      expect(r.fileFs).toBe(25600);
      expect(r.unit).toBe('full-scale');
      r.samples.forEach((v, i) => expect(v).toBeCloseTo(frames[i][1], 3));
    }
    expect(() => readWav(wav(1, 16, 1, frames.map((f) => [f[0]])), '3')).toThrow(/no WAV channel/);
    expect(() => readWav(Buffer.from('RIFF0000WAVX'))).toThrow(RecordingError);
  });

  it('says which formats it reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    writeFileSync(join(dir, 'x.flac'), 'x');
    expect(() => readRecording(join(dir, 'x.flac'))).toThrow(/use \.mat/);
  });
});
