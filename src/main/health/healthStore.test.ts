import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MotorDatabase } from '../store/database';
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
