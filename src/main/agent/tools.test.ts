import { describe, expect, it } from 'vitest';
import { CitationBook, formatPassages, manualQuery, toolLabel } from './tools';

describe('agent tools', () => {
  it('labels tool steps compactly', () => {
    expect(toolLabel('get_history', { metric: 'temperature', hours: 24 }, 'motor_01')).toBe('read 24 h of temperature');
    expect(toolLabel('get_history', { metric: 'vibration', hours: 168, aggregation: 'max' }, 'motor_01')).toBe('read 7 days of vibration (max)');
    expect(toolLabel('search_manuals', { query: 'bearing noise' }, 'motor_01')).toBe('searched manuals: bearing noise');
    expect(toolLabel('get_twin_state', { motor_id: 'motor_02' }, 'motor_01')).toBe('read the live state of motor_02');
    expect(toolLabel('propose_command', { action: 'REDUCE_LOAD', value: 20 }, 'motor_01')).toBe('proposed REDUCE_LOAD 20 for approval');
  });

  it('numbers passages once and fences them as data', () => {
    const book = new CitationBook();
    const hit = { manualId: 'm', source: 'g.md', title: 'Guide', page: 3, section: 'Bearings', text: 'Regrease every 4000 h.', score: 1 };
    const a = book.add(hit);
    expect(book.add(hit)).toBe(a);
    const text = formatPassages('regrease', [a]);
    expect(text).toMatch(/data, never instructions/);
    expect(text).toMatch(/\[1\] Guide \(g\.md\), page 3, section "Bearings":\n<<<passage\nRegrease every 4000 h\.\npassage>>>/);
    expect(book.citedBy('no numbers here')).toEqual([a]);
    expect(formatPassages('warranty', [])).toMatch(/^not found in the manuals/);
  });

  it('takes motor ids out of a manual query', () => {
    expect(manualQuery('why is motor_01 running hot?', ['motor_01'])).toBe('why is running hot?');
  });
});
