import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInProcedures, parseProcedure, ProcedureError } from './procedureLoader';

const dir = join(import.meta.dirname, '../../../resources/procedures');
const shipped = readFileSync(join(dir, 'no-load-acceptance.json'), 'utf8');

describe('procedure files', () => {
  it('loads the shipped no-load acceptance run', () => {
    const [p] = builtInProcedures(dir);
    expect(p).toMatchObject({ name: 'no-load-acceptance', version: '1.0.0' });
    expect(p.criteria.map((c) => c.kind)).toContain('iso_zone');
  });

  it('loads the shipped run with speed steps and a run-down, judging each speed step', () => {
    const p = builtInProcedures(dir).find((x) => x.name === 'speed-steps-acceptance')!;
    expect(p.steps.filter((s) => s.kind === 'speed').map((s) => s.kind === 'speed' && s.speedPct)).toEqual([60, 80, 100]);
    expect(p.steps.some((s) => s.kind === 'rundown')).toBe(true);
    expect(p.criteria.filter((c) => c.step === 'speed_60').map((c) => c.kind)).toEqual(['iso_zone', 'speed']);
  });

  it('points at the line of a JSON syntax error', () => {
    const broken = shipped.replace('"durationS": 300,', '"durationS": 300,,');
    const line = shipped.split('\n').findIndex((l) => l.includes('"durationS": 300,')) + 1;
    expect(() => parseProcedure(broken, 'p.json')).toThrow(new RegExp(`^p\\.json:${line}: not valid JSON`));
  });

  it('points at the line and names the field of a schema error', () => {
    const bad = shipped.replace('"durationS": 300', '"durationS": -5');
    const line = shipped.split('\n').findIndex((l) => l.includes('"durationS": 300')) + 1;
    let message = '';
    try {
      parseProcedure(bad, 'p.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ProcedureError);
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`p\\.json:${line}:\\d+: steps\\.4\\.durationS: `));
  });

  it('refuses a criterion on a step that does not exist', () => {
    const bad = shipped.replace('"step": "steady", "acceptZones"', '"step": "nope", "acceptZones"');
    expect(() => parseProcedure(bad, 'p.json')).toThrow(/names step "nope", which is not a run or speed step/);
  });
});
