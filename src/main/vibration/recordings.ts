import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { readMatFile } from './matFile';

// Recorded waveforms from files: MATLAB v5 .mat (CWRU and most DAQ exports), CSV, WAV.

export interface Recording {
  samples: Float64Array;
  /** Channel that was read (variable, column or WAV channel). */
  channel: string;
  channels: string[];
  /** Sample rate the file itself states (WAV header), when it states one. */
  fileFs?: number;
  /** Shaft speed the file stores (CWRU's X…RPM variable), when it stores one. */
  fileRpm?: number;
  /** Unit of the samples: g for .mat and CSV; a fraction of full scale for WAV (needs a scale to be g). */
  unit: 'g' | 'full-scale';
}

export class RecordingError extends Error {}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RecordingError(`${path}: no such file`);
    if (code === 'EISDIR') throw new RecordingError(`${path} is a folder, not a recording`);
    if (code === 'EACCES') throw new RecordingError(`${path}: permission denied`);
    throw e;
  }
}

export function readRecording(path: string, channel?: string): Recording {
  const bytes = readBytes(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.mat') return fromMat(bytes, channel);
  if (ext === '.wav') return readWav(bytes, channel);
  if (ext === '.csv' || ext === '.txt') return readCsv(bytes.toString('utf8'), channel);
  throw new RecordingError(`cannot read "${ext}" files: use .mat (MATLAB v5), .csv or .wav`);
}

function fromMat(bytes: Uint8Array, channel?: string): Recording {
  const mat = readMatFile(bytes);
  const vectors = mat.variables.filter((v) => v.dims.filter((d) => d > 1).length === 1 && v.data.length > 1);
  const channels = vectors.map((v) => v.name);
  // CWRU names its accelerometers X<record>_DE_time (drive end), _FE_time (fan end), _BA_time (base): "DE", "FE"
  // or "BA" picks that one, whatever the record number.
  const position = channel && /^(DE|FE|BA)$/i.test(channel) ? `_${channel.toUpperCase()}_time` : null;
  const pick = position
    ? vectors.find((v) => v.name.endsWith(position))
    : channel
      ? vectors.find((v) => v.name === channel)
      : (vectors.find((v) => v.name.endsWith('_DE_time')) ?? (vectors.length === 1 ? vectors[0] : undefined));
  if (!pick) {
    throw new RecordingError(
      channel ? `no vector "${channel}" in the file; it has ${channels.join(', ') || 'no numeric vectors'}` : `several channels and none named *_DE_time: pick one with --channel (${channels.join(', ')})`,
    );
  }
  const rpmVar = mat.variables.find((v) => /RPM$/i.test(v.name) && v.data.length === 1);
  return { samples: pick.data, channel: pick.name, channels, fileRpm: rpmVar?.data[0], unit: 'g' };
}

/** CSV: one numeric column, or the column named by `channel` (header row), or by its 0-based index. */
export function readCsv(text: string, channel?: string): Recording {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length) throw new RecordingError('the CSV file is empty');
  const sep = lines[0].includes(';') && !lines[0].includes(',') ? ';' : lines[0].includes('\t') ? '\t' : ',';
  const first = lines[0].split(sep).map((c) => c.trim());
  const hasHeader = first.some((c) => c !== '' && !Number.isFinite(Number(c)));
  const channels = hasHeader ? first : first.map((_, i) => `column ${i}`);
  let col: number;
  if (channel !== undefined) {
    col = channels.indexOf(channel);
    if (col < 0 && /^\d+$/.test(channel)) col = Number(channel);
    if (col < 0 || col >= channels.length) throw new RecordingError(`no column "${channel}"; the CSV has ${channels.join(', ')}`);
  } else if (channels.length === 1) col = 0;
  else throw new RecordingError(`the CSV has ${channels.length} columns: pick one with --channel (${channels.join(', ')})`);
  const rows = hasHeader ? lines.slice(1) : lines;
  const samples = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const cell = r.split(sep)[col]?.trim();
    // Empty or non-numeric cells become NaN so analysis refuses the record with a clear message.
    samples[i] = cell === undefined || cell === '' ? NaN : Number(cell);
  });
  return { samples, channel: channels[col], channels, unit: 'g' };
}

/** WAV: PCM 16/24/32-bit or IEEE float 32, any channel count; `channel` is a 0-based channel number. */
export function readWav(bytes: Uint8Array, channel?: string): Recording {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new RecordingError('not a WAV file (no RIFF/WAVE header)');
  let fmt: { format: number; channels: number; fs: number; bits: number } | null = null;
  let data: DataView | null = null;
  for (let o = 12; o + 8 <= bytes.byteLength; ) {
    const id = tag(o);
    const size = view.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ') {
      let format = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
      fmt = { format, channels: view.getUint16(body + 2, true), fs: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') data = new DataView(bytes.buffer, bytes.byteOffset + body, Math.min(size, bytes.byteLength - body));
    o = body + size + (size % 2);
  }
  if (!fmt || !data) throw new RecordingError('WAV file without fmt or data chunk');
  const { format, channels: nch, bits } = fmt;
  const ok = (format === 1 && [16, 24, 32].includes(bits)) || (format === 3 && bits === 32);
  if (!ok) throw new RecordingError(`unsupported WAV encoding (format ${format}, ${bits} bits): use PCM 16/24/32-bit or float 32`);
  const channels = Array.from({ length: nch }, (_, i) => `channel ${i}`);
  const ch = channel === undefined ? 0 : Number(channel.replace(/^channel\s*/, ''));
  if (!Number.isInteger(ch) || ch < 0 || ch >= nch) throw new RecordingError(`no WAV channel "${channel}": the file has ${nch} (0 to ${nch - 1})`);
  const width = bits / 8;
  const frame = width * nch;
  const n = Math.floor(data.byteLength / frame);
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * frame + ch * width;
    if (format === 3) samples[i] = data.getFloat32(o, true);
    else if (bits === 16) samples[i] = data.getInt16(o, true) / 32768;
    else if (bits === 32) samples[i] = data.getInt32(o, true) / 2147483648;
    else samples[i] = ((data.getInt8(o + 2) << 16) | (data.getUint8(o + 1) << 8) | data.getUint8(o)) / 8388608;
  }
  return { samples, channel: channels[ch], channels, fileFs: fmt.fs, unit: 'full-scale' };
}
