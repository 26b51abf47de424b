import { describe, expect, it } from 'vitest';
import { TwinRegistry } from './twinRegistry';

describe('TwinRegistry', () => {
  it('creates a twin on first contact and judges it by its limits', () => {
    const r = new TwinRegistry();
    r.applyTelemetry('m', 1000, { temperature: 60, vibration: 0.02 }, 'mqtt', 1000);
    expect(r.snapshot(r.get('m')!).status).toBe('ok');
    r.applyTelemetry('m', 2000, { temperature: 85 }, 'mqtt', 2000);
    const s = r.snapshot(r.get('m')!);
    expect(s.status).toBe('alarm');
    expect(s.statusReasons[0].text).toBe('frame temperature 85.0 °C above alarm limit 80.0 °C');
    r.applyTelemetry('m', 3000, { temperature: 60 }, 'mqtt', 3000);
    expect(r.snapshot(r.get('m')!).status).toBe('ok'); // recovers when the cause goes away
  });

  it('goes stale, then offline, when a board falls silent; a last will says offline at once', () => {
    const r = new TwinRegistry();
    r.applyTelemetry('m', 0, { rpm: 1 }, 'mqtt', 0);
    r.sweepConnections(4_000);
    expect(r.get('m')!.connection).toBe('online');
    r.sweepConnections(6_000);
    expect(r.get('m')!.connection).toBe('stale');
    r.sweepConnections(10 * 60_000);
    expect(r.get('m')!.connection).toBe('offline');
    r.applyTelemetry('m', 700_000, { rpm: 1 }, 'mqtt', 700_000);
    expect(r.get('m')!.connection).toBe('online');
    r.applyStatus('m', { device_id: 'm', state: 'offline' }, 'mqtt', 700_001);
    expect(r.get('m')!.connection).toBe('offline');
  });

  it('edits the nameplate and limits, validated', () => {
    const r = new TwinRegistry();
    r.ensure('m', 'mqtt');
    const t = r.update({ id: 'm', name: 'Pump 3 motor', nameplate: { ratedKw: 15, insulationClass: 'F' }, limits: { temperature: { warnAbove: 60, alarmAbove: 70, warnBelow: null, alarmBelow: null } } });
    expect(t.name).toBe('Pump 3 motor');
    expect(t.nameplate.ratedKw).toBe(15);
    expect(t.nameplate.ratedRpm).toBeNull();
    expect(() => r.update({ id: 'm', nameplate: { ratedKw: -1 } })).toThrow();
    expect(() => r.update({ id: 'nobody', name: 'x' })).toThrow(/no motor "nobody"/);
  });
});

describe('TwinRegistry: ids', () => {
  const stored = (id: string) => ({ id, name: id, source: 'mqtt' as const, simulated: false, nameplate: {}, limits: {}, device: { fw: null, board: null, calibrationId: null } });

  it('makes no twin for an id the protocol forbids, however it is asked', () => {
    const r = new TwinRegistry();
    for (const id of ['<img src=x onerror=alert(1)>', '..', 'm'.repeat(3000)]) {
      expect(() => r.ensure(id, 'mqtt')).toThrow(/device id .* must be 1-64 letters/);
      expect(() => r.applyStatus(id, { device_id: id, state: 'online' }, 'mqtt', 1)).toThrow(/device id/);
      expect(() => r.applyTelemetry(id, 1, { rpm: 1 }, 'mqtt', 1)).toThrow(/device id/);
      expect(() => r.restore(stored(id))).toThrow(/device id/);
    }
    expect(r.size).toBe(0);
    r.restore(stored('motor_01'));
    expect(r.get('motor_01')?.name).toBe('motor_01');
  });
});
