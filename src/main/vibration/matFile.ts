import { inflateSync } from 'node:zlib';

// A reader for MATLAB Level 5 MAT-files: the numeric matrices that test rigs and data loggers save
// (CWRU, many DAQ exports). Cells, structs, strings and sparse matrices are listed as skipped, not parsed.
// Format: MathWorks "MAT-File Format" (Level 5): a 128-byte header, then tagged data elements padded to
// 8 bytes; miCOMPRESSED elements hold one zlib-deflated element (MATLAB 7 default).

export interface MatVariable {
  name: string;
  /** MATLAB class of the stored matrix: double, single, int16, … */
  className: string;
  /** Dimensions as MATLAB reports them (rows, columns, …). */
  dims: number[];
  /** Real part, column-major, converted to double. */
  data: Float64Array;
  /** True when the variable was stored inside a miCOMPRESSED element. */
  compressed: boolean;
  /** True when the matrix was complex: `data` holds the real part only. */
  complex: boolean;
}

export interface MatFile {
  header: string;
  variables: MatVariable[];
  /** Variables present but not numeric matrices, with the reason. */
  skipped: { name: string; reason: string }[];
}

export class MatFileError extends Error {}

const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15 };
const BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };
const NUMERIC_CLASSES: Record<number, string> = {
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const OTHER_CLASSES: Record<number, string> = { 1: 'cell', 2: 'struct', 3: 'object', 4: 'char', 5: 'sparse' };

interface Element {
  type: number;
  view: DataView;
  /** Offset of the next element in the enclosing buffer. */
  next: number;
}

function readElement(view: DataView, offset: number, little: boolean): Element {
  if (offset + 8 > view.byteLength) throw new MatFileError(`truncated data element at byte ${offset}`);
  const first = view.getUint32(offset, little);
  // Small data element format: size in the upper 16 bits, up to 4 bytes of data in the tag itself.
  if (first >>> 16 !== 0) {
    const size = first >>> 16;
    return { type: first & 0xffff, view: new DataView(view.buffer, view.byteOffset + offset + 4, size), next: offset + 8 };
  }
  const size = view.getUint32(offset + 4, little);
  const start = offset + 8;
  if (start + size > view.byteLength) throw new MatFileError(`data element at byte ${offset} claims ${size} bytes, past the end of the file`);
  const view2 = new DataView(view.buffer, view.byteOffset + start, size);
  return { type: first, view: view2, next: start + size + ((8 - (size % 8)) % 8) };
}

function numbers(el: Element, little: boolean): Float64Array {
  const width = BYTES[el.type];
  if (!width) throw new MatFileError(`unsupported numeric data type ${el.type}`);
  const n = Math.floor(el.view.byteLength / width);
  const out = new Float64Array(n);
  const v = el.view;
  for (let i = 0, o = 0; i < n; i++, o += width) {
    switch (el.type) {
      case MI.DOUBLE: out[i] = v.getFloat64(o, little); break;
      case MI.SINGLE: out[i] = v.getFloat32(o, little); break;
      case MI.INT8: out[i] = v.getInt8(o); break;
      case MI.UINT8: out[i] = v.getUint8(o); break;
      case MI.INT16: out[i] = v.getInt16(o, little); break;
      case MI.UINT16: out[i] = v.getUint16(o, little); break;
      case MI.INT32: out[i] = v.getInt32(o, little); break;
      case MI.UINT32: out[i] = v.getUint32(o, little); break;
      case MI.INT64: out[i] = Number(v.getBigInt64(o, little)); break;
      default: out[i] = Number(v.getBigUint64(o, little));
    }
  }
  return out;
}

function parseMatrix(el: Element, little: boolean, compressed: boolean, file: MatFile): void {
  if (el.view.byteLength === 0) return;
  const flags = readElement(el.view, 0, little);
  const flagWord = flags.view.getUint32(0, little);
  const classId = flagWord & 0xff;
  const complex = (flagWord & 0x800) !== 0;
  const dimsEl = readElement(el.view, flags.next, little);
  const dims = Array.from(numbers(dimsEl, little));
  const nameEl = readElement(el.view, dimsEl.next, little);
  const name = new TextDecoder('latin1').decode(new Uint8Array(nameEl.view.buffer, nameEl.view.byteOffset, nameEl.view.byteLength));
  const className = NUMERIC_CLASSES[classId];
  if (!className) {
    file.skipped.push({ name, reason: `${OTHER_CLASSES[classId] ?? `class ${classId}`} arrays are not read` });
    return;
  }
  const data = numbers(readElement(el.view, nameEl.next, little), little);
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new MatFileError(`variable ${name}: ${data.length} values for dimensions ${dims.join('x')}`);
  file.variables.push({ name, className, dims, data, compressed, complex });
}

export function readMatFile(bytes: Uint8Array): MatFile {
  if (bytes.byteLength < 128) throw new MatFileError('not a MATLAB v5 file: shorter than its 128-byte header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(0, 116)).trimEnd();
  const endian = String.fromCharCode(bytes[126], bytes[127]);
  if (!header.startsWith('MATLAB 5.0 MAT-file') || (endian !== 'IM' && endian !== 'MI')) {
    throw new MatFileError(header.startsWith('MATLAB 7.3') ? 'MATLAB 7.3 files are HDF5: save with -v7 or -v6 to read them here' : 'not a MATLAB v5 MAT-file');
  }
  const little = endian === 'IM';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const file: MatFile = { header, variables: [], skipped: [] };
  for (let offset = 128; offset < view.byteLength; ) {
    const el = readElement(view, offset, little);
    offset = el.next;
    if (el.type === MI.MATRIX) parseMatrix(el, little, false, file);
    else if (el.type === MI.COMPRESSED) {
      const raw = inflateSync(new Uint8Array(el.view.buffer, el.view.byteOffset, el.view.byteLength));
      const inner = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const innerEl = readElement(inner, 0, little);
      if (innerEl.type === MI.MATRIX) parseMatrix(innerEl, little, true, file);
    }
  }
  return file;
}
