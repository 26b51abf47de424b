import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/shared/contract';
import { startEngine, type Harness } from '../support/engineHarness';
import { waitFor } from '../support/tools';

// The engine's status clock (connection sweep, message rate, status bar) runs only while a twin is heard or a
// UI listens to the status, so an idle engine is not woken every second; what it drives must still happen.
describe('the status clock', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startEngine();
  });
  afterAll(async () => h?.close());

  it('sends the status every second to a listener that comes while nothing is connected', async () => {
    const seen: EngineStatus[] = [];
    const listener = (s: EngineStatus) => seen.push(s);
    h.engine.on('status', listener);
    try {
      await waitFor('three status events', () => seen.length >= 3, 10_000);
      expect(seen[2].uptimeS).toBeGreaterThan(seen[0].uptimeS);
    } finally {
      h.engine.off('status', listener);
    }
  });

  it('sweeps a twin that stops sending to stale with no UI listening, and counts its message rate', async () => {
    for (let seq = 0; seq < 5; seq++) {
      await h.publisher.publishAsync('factory/m_clock/telemetry', JSON.stringify({ device_id: 'm_clock', seq, temperature: 40 + seq }), { qos: 1 });
    }
    await waitFor('the twin online', () => h.engine.twins.get('m_clock')?.connection === 'online');
    await waitFor('its messages in the rate', () => h.engine.status().ingest.messagesPerSecond > 0, 10_000);
    // Stale after 5 s of silence (at least five of its usual intervals), found by the clock's sweep.
    await waitFor('the twin stale', () => h.engine.twins.get('m_clock')?.connection === 'stale', 20_000);
  });
});
