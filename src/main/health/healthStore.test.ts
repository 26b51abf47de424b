import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MotorDatabase } from '../store/database';
import type { Alarm, AlarmTransition } from '../../shared/healthContract';
import { AlarmBook } from './alarms';
import { HealthStore } from './healthStore';

describe('HealthStore batched rows', () => {
  it('writes rule states saved close together in one go, the newest per motor, each motor kept', async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'health-store-')), 'h.duckdb'));
    const store = new HealthStore(db, (what, e) => {
      throw new Error(`${what}: ${e.message}`);
    });
    store.saveRuleState('m1', { lastTs: 1, rules: {} });
    store.saveRuleState('m2', { lastTs: 5, rules: {} });
    store.saveRuleState('m1', { lastTs: 2, rules: {} });
    await store.flush();
    // Saved again after the flush: an upsert over the stored row.
    store.saveRuleState('m2', { lastTs: 6, rules: {} });
    await store.flush();
    const states = await store.ruleStates();
    expect([...states].map(([id, s]) => [id, s.lastTs]).sort()).toEqual([
      ['m1', 2],
      ['m2', 6],
    ]);
    expect(store.errors).toBe(0);
    db.close();
  });
});

describe('HealthStore at a stop', () => {
  it('says how many writes a close waits for and how long DuckDB has been running the current one', async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'health-store-')), 'h.duckdb'));
    const store = new HealthStore(db, (what, e) => {
      throw new Error(`${what}: ${e.message}`);
    });
    expect(store.waiting()).toBeNull();
    store.saveRuleSet('motor', 'm1', []);
    store.saveRuleSet('motor', 'm2', []);
    store.saveRuleSet('model', 'W22', []);
    expect(store.waiting()).toBe('3 writes waiting');
    await Promise.resolve(); // the queue hands DuckDB its first write
    expect(store.waiting(Date.now() + 2500)).toMatch(/^3 writes waiting, DuckDB has been running one for \d+\.\d s$/);
    await store.flush();
    expect(store.waiting()).toBeNull();
    expect((await store.ruleSets()).length).toBe(3);
    db.close();
  });
});

describe('HealthStore under load', () => {
  it('gathers rows while its last batch still waits for DuckDB instead of queueing a statement a second', async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'health-store-')), 'h.duckdb'));
    const store = new HealthStore(db, (what, e) => {
      throw new Error(`${what}: ${e.message}`);
    });
    // DuckDB held up, as by a checkpoint on a loaded machine: statements wait until it lets go.
    let letGo!: () => void;
    const held = new Promise<void>((r) => (letGo = r));
    const run = db.run.bind(db);
    let statements = 0;
    db.run = async (...args: Parameters<typeof db.run>) => {
      await held;
      statements++;
      return run(...args);
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      store.saveRuleState('m1', { lastTs: 1, rules: {} });
      await vi.advanceTimersByTimeAsync(1000);
      expect(store.waiting()).toMatch(/^1 write waiting, DuckDB has been running one for/);
      for (let second = 2; second <= 10; second++) {
        store.saveRuleState('m1', { lastTs: second, rules: {} });
        store.saveRuleState('m2', { lastTs: second, rules: {} });
        await vi.advanceTimersByTimeAsync(1000);
      }
      expect(store.waiting()).toMatch(/^1 write waiting/);
    } finally {
      vi.useRealTimers();
    }
    letGo();
    await store.flush();
    expect(statements).toBe(2);
    expect([...(await store.ruleStates())].map(([id, st]) => [id, st.lastTs]).sort()).toEqual([
      ['m1', 10],
      ['m2', 10],
    ]);
    db.close();
  });
});

describe('HealthStore alarm changes at once', () => {
  it("stores an import's alarm changes in one transaction: every transition, and each alarm at its newest state", async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'health-store-')), 'h.duckdb'));
    const store = new HealthStore(db, (what, e) => {
      throw new Error(`${what}: ${e.message}`);
    });
    // A replay's book: 150 episodes raised and cleared, acknowledged by the import, and one still active.
    const book = new AlarmBook();
    const changes: Array<{ alarm: Alarm; transition: AlarmTransition }> = [];
    book.on('change', (alarm, transition) => changes.push({ alarm, transition }));
    const hour = 3_600_000;
    for (let i = 0; i < 150; i++) {
      book.raise({ motorId: 'm1', condition: 'OVERTEMP', severity: 'major', source: 'rule', message: `hot ${i}`, ts: i * hour });
      const cleared = book.clear('m1', 'OVERTEMP', i * hour + 60_000)!;
      book.ack(cleared.id, 'recorded by the import', i * hour + 60_000);
    }
    book.raise({ motorId: 'm1', condition: 'VIBRATION', severity: 'minor', source: 'rule', message: 'rough', ts: 200 * hour });
    const connect = vi.spyOn(db, 'connect');
    store.saveAlarms(changes);
    await store.flush();
    expect(connect).toHaveBeenCalledTimes(1);
    const stored = await store.alarmsOf('m1');
    expect(stored).toHaveLength(151);
    expect(stored.filter((a) => a.state === 'cleared_acked')).toHaveLength(150);
    expect(stored[0]).toMatchObject({ condition: 'OVERTEMP', message: 'hot 0', raised_at: 0, cleared_at: 60_000, acked_at: 60_000 });
    expect(stored[150]).toMatchObject({ condition: 'VIBRATION', state: 'active_unacked', cleared_at: null });
    const transitions = await store.transitions({ id: 'm1', limit: 1000 });
    expect(transitions).toHaveLength(changes.length);
    expect(transitions.filter((t) => t.action === 'ack')).toHaveLength(150);
    expect(store.errors).toBe(0);
    db.close();
  });

  it('stores none of them when one cannot be stored', async () => {
    const db = await MotorDatabase.open(join(mkdtempSync(join(tmpdir(), 'health-store-')), 'h.duckdb'));
    const failures: string[] = [];
    const store = new HealthStore(db, (what, e) => failures.push(`${what}: ${e.message}`));
    const book = new AlarmBook();
    const changes: Array<{ alarm: Alarm; transition: AlarmTransition }> = [];
    book.on('change', (alarm, transition) => changes.push({ alarm, transition }));
    book.raise({ motorId: 'm1', condition: 'OVERTEMP', severity: 'major', source: 'rule', message: 'hot', ts: 1000 });
    book.clear('m1', 'OVERTEMP', 2000);
    // A transition the table refuses (its state is required), after the alarm's own row went in.
    changes[1] = { ...changes[1], transition: { ...changes[1].transition, to: null as never } };
    store.saveAlarms(changes);
    await store.flush();
    expect(failures).toEqual([expect.stringMatching(/^saving 2 alarm changes: /)]);
    expect(await store.alarmsOf('m1')).toEqual([]);
    expect(await store.transitions({ id: 'm1', limit: 10 })).toEqual([]);
    db.close();
  });
});
