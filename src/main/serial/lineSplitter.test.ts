import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lineSplitter';

describe('LineSplitter', () => {
  it('splits on newlines and keeps partial lines for the next chunk', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('a\nbc')).map(String)).toEqual(['a']);
    expect(s.push(Buffer.from('d\r\n\ne')).map(String)).toEqual(['bcd\r', '']);
    expect(s.push(Buffer.from('\n')).map(String)).toEqual(['e']);
  });
  it('reassembles a UTF-8 character split across reads', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('°C\n');
    expect(s.push(bytes.subarray(0, 1))).toEqual([]);
    expect(s.push(bytes.subarray(1)).map((b) => b.toString('utf8'))).toEqual(['°C']);
  });
  it('cuts a line that never ends', () => {
    const s = new LineSplitter(8);
    expect(s.push(Buffer.from('0123456789')).map(String)).toEqual(['0123456789']);
    expect(s.push(Buffer.from('x\n')).map(String)).toEqual(['x']);
  });
});
