import { describe, expect, it } from 'vitest';
import type { AlarmTransition } from '../../shared/healthContract';
import { AlarmBook, AlarmError } from './alarms';

const raise = (book: AlarmBook, ts: number, condition = 'OVERHEATING') => book.raise({ motorId: 'm1', condition, severity: 'critical', source: 'rule', message: `hot at ${ts}`, ts });

describe('alarm lifecycle (ISA-18.2)', () => {
  it('walks active-unacked → active-acked → cleared-acked, recording every transition', () => {
    const book = new AlarmBook();
    const log: AlarmTransition[] = [];
    book.on('change', (_a, t) => log.push(t));
    const a = raise(book, 1);
    expect(a.state).toBe('active_unacked');
    book.ack(a.id, 'checking the fan', 2);
    expect(book.get(a.id)).toMatchObject({ state: 'active_acked', ackComment: 'checking the fan' });
    book.clear('m1', 'OVERHEATING', 3);
    expect(book.get(a.id)?.state).toBe('cleared_acked');
    expect(log.map((t) => `${t.action}:${t.from}->${t.to}`)).toEqual(['raise:null->active_unacked', 'ack:active_unacked->active_acked', 'clear:active_acked->cleared_acked']);
    expect(book.openFor('m1', 'OVERHEATING')).toBeUndefined();
  });

  it('walks active-unacked → cleared-unacked → cleared-acked; a repeat before the ack reuses the alarm', () => {
    const book = new AlarmBook();
    const a = raise(book, 1);
    book.clear('m1', 'OVERHEATING', 2);
    expect(a.state).toBe('cleared_unacked');
    const again = raise(book, 3);
    expect(again.id).toBe(a.id);
    expect(again).toMatchObject({ state: 'active_unacked', repeats: 1, clearedAt: null });
    book.clear('m1', 'OVERHEATING', 4);
    book.ack(a.id, '', 5);
    expect(a.state).toBe('cleared_acked');
    // Closed: the next occurrence is a new alarm.
    expect(raise(book, 6).id).not.toBe(a.id);
  });

  it('one alarm per motor and condition: a flood of raises is one alarm and one transition', () => {
    const book = new AlarmBook();
    let transitions = 0;
    book.on('change', () => transitions++);
    for (let i = 0; i < 100; i++) raise(book, i);
    expect(book.all()).toHaveLength(1);
    expect(transitions).toBe(1);
    raise(book, 200, 'MECHANICAL_FAULT');
    expect(book.all()).toHaveLength(2);
  });

  it('shelves for a time and brings the alarm back when it runs out', () => {
    const book = new AlarmBook();
    const a = raise(book, 1);
    book.shelve(a.id, 1000, 'sensor being replaced', 10);
    expect(book.isShelved(a, 500)).toBe(true);
    book.sweep(999);
    expect(a.shelvedUntil).toBe(1000);
    book.sweep(1000);
    expect(a.shelvedUntil).toBeNull();
    expect(a.state).toBe('active_unacked');
  });

  it('while watching, brings a shelved alarm back on its own when its time is up, and not after stopWatching', async () => {
    const book = new AlarmBook();
    const a = raise(book, Date.now(), 'MECHANICAL_FAULT');
    const b = raise(book, Date.now(), 'OVERHEAT');
    const back: Array<string | null> = [];
    book.on('change', (_alarm, t) => t.action === 'unshelve' && back.push(t.comment));
    book.watchShelving();
    book.shelve(a.id, Date.now() + 150, 'sensor being replaced');
    book.shelve(b.id, Date.now() + 300, 'sensor being replaced');
    const t0 = performance.now();
    while (back.length < 2) {
      expect(performance.now() - t0, 'both back by their own timer').toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(back).toEqual(['shelving expired', 'shelving expired']);
    expect([a.shelvedUntil, b.shelvedUntil]).toEqual([null, null]);
    book.shelve(a.id, Date.now() + 50, 'again');
    book.stopWatching();
    await new Promise((r) => setTimeout(r, 300));
    expect(a.shelvedUntil).not.toBeNull();
  });

  it('refuses what makes no sense with a reason', () => {
    const book = new AlarmBook();
    const a = raise(book, 1);
    book.ack(a.id, '', 2);
    expect(() => book.ack(a.id, '', 3)).toThrow(/already acknowledged/);
    expect(() => book.ack('nope', '', 3)).toThrow(AlarmError);
    expect(() => book.unshelve(a.id)).toThrow(/not shelved/);
  });
});

describe('the alarm list and its summary', () => {
  it('filters by motor, state and severity, leaves shelved ones out when asked, and counts what the status bar shows', () => {
    const book = new AlarmBook();
    const hot = raise(book, 1);
    const loose = book.raise({ motorId: 'm2', condition: 'LOOSENESS', severity: 'warning', source: 'rule', message: 'loose', ts: 2 });
    const noisy = book.raise({ motorId: 'm2', condition: 'NOISE', severity: 'warning', source: 'rule', message: 'noisy', ts: 3 });
    book.ack(loose.id, '', 4);
    book.shelve(noisy.id, 1000, '', 5);
    const all = { includeShelved: true, limit: 500 };
    expect(book.query(all, 10).map((a) => a.id)).toEqual([noisy.id, loose.id, hot.id]);
    expect(book.query({ ...all, id: 'm2' }, 10).map((a) => a.id)).toEqual([noisy.id, loose.id]);
    expect(book.query({ ...all, states: ['active_acked'] }, 10).map((a) => a.id)).toEqual([loose.id]);
    expect(book.query({ ...all, severities: ['critical'] }, 10).map((a) => a.id)).toEqual([hot.id]);
    expect(book.query({ includeShelved: false, limit: 500 }, 10).map((a) => a.id)).toEqual([loose.id, hot.id]);
    expect(book.query({ ...all, limit: 1 }, 10)).toHaveLength(1);
    // Shelved until 1000: left out of the counts until then, counted again after.
    expect(book.summary(10)).toEqual({ unacknowledged: 1, activeBySeverity: { critical: 1, major: 0, minor: 0, warning: 1 } });
    expect(book.summary(2000)).toEqual({ unacknowledged: 2, activeBySeverity: { critical: 1, major: 0, minor: 0, warning: 2 } });
  });
});
