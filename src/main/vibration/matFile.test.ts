import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { MatFileError, readMatFile } from './matFile';
import { SHARED_DATA } from './testData';

/** Builds a little-endian v5 file: a tagged element, padded to 8 bytes. */
function element(type: number, body: Buffer): Buffer {
  const tag = Buffer.alloc(8);
  tag.writeUInt32LE(type, 0);
  tag.writeUInt32LE(body.length, 4);
  return Buffer.concat([tag, body, Buffer.alloc((8 - (body.length % 8)) % 8)]);
}

function matrix(name: string, classId: number, dataType: number, data: Buffer, dims: [number, number]): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(classId, 0);
  const d = Buffer.alloc(8);
  d.writeInt32LE(dims[0], 0);
  d.writeInt32LE(dims[1], 4);
  return element(14, Buffer.concat([element(6, flags), element(5, d), element(1, Buffer.from(name, 'latin1')), element(dataType, data)]));
}

const header = () => {
  const h = Buffer.alloc(128, 0x20);
  h.write('MATLAB 5.0 MAT-file, test', 0, 'latin1');
  h.writeUInt16LE(0x0100, 124);
  h.write('IM', 126, 'latin1');
  return h;
};

describe('MATLAB v5 reader', () => {
  it('reads the CWRU inner-race record: three channels and the rpm, uncompressed doubles', () => {
    const mat = readMatFile(readFileSync(join(SHARED_DATA, 'cwru/IR007_0.mat')));
    expect(mat.variables.map((v) => v.name)).toEqual(['X105_DE_time', 'X105_FE_time', 'X105_BA_time', 'X105RPM']);
    const de = mat.variables[0];
    expect(de).toMatchObject({ className: 'double', dims: [121265, 1], compressed: false, complex: false });
    expect(de.data[0]).toBeCloseTo(-0.083004, 5);
    expect(mat.variables[3].data[0]).toBe(1797);
  });

  it('reads int16 and single matrices, inside miCOMPRESSED too, and lists what it skips', () => {
    const i16 = Buffer.alloc(6);
    [-3, 0, 32767].forEach((v, i) => i16.writeInt16LE(v, 2 * i));
    const f32 = Buffer.alloc(8);
    f32.writeFloatLE(1.5, 0);
    f32.writeFloatLE(-2.25, 4);
    const chars = matrix('label', 4, 4, Buffer.from([104, 0, 105, 0]), [1, 2]);
    const file = Buffer.concat([header(), matrix('counts', 10, 3, i16, [3, 1]), element(15, deflateSync(matrix('g', 7, 7, f32, [1, 2]))), chars]);
    const mat = readMatFile(file);
    expect(mat.variables).toMatchObject([
      { name: 'counts', className: 'int16', dims: [3, 1], compressed: false },
      { name: 'g', className: 'single', dims: [1, 2], compressed: true },
    ]);
    expect(Array.from(mat.variables[0].data)).toEqual([-3, 0, 32767]);
    expect(Array.from(mat.variables[1].data)).toEqual([1.5, -2.25]);
    expect(mat.skipped).toEqual([{ name: 'label', reason: 'char arrays are not read' }]);
  });

  it('refuses what is not a v5 MAT-file, with the reason', () => {
    expect(() => readMatFile(Buffer.from('hello'))).toThrow(MatFileError);
    const v73 = header();
    v73.write('MATLAB 7.3 MAT-file', 0, 'latin1');
    expect(() => readMatFile(v73)).toThrow(/HDF5/);
    const truncated = Buffer.concat([header(), matrix('x', 6, 9, Buffer.alloc(16), [2, 1])]).subarray(0, 150);
    expect(() => readMatFile(truncated)).toThrow(/past the end|truncated/);
  });
});
