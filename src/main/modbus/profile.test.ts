import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile, shippedProfiles } from './profile';

const base = { name: 'drive', registers: [{ reading: 'current', table: 'holding', address: 3000, type: 'uint16', scale: 0.1 }] };
const refuse = (p: unknown) => () => parseProfile(JSON.stringify(p), 'profile test');

describe('device profiles', () => {
  it('ship a VFD and a motor-protection-relay profile that pass their own schema', async () => {
    const shipped = await shippedProfiles();
    expect(shipped.map((p) => p.name)).toEqual(expect.arrayContaining(['generic-vfd', 'generic-motor-protection-relay']));
    const relay = await loadProfile('generic-motor-protection-relay');
    expect(relay.registers.map((r) => r.reading)).toEqual(expect.arrayContaining(['thermal_capacity', 'current_l1', 'current_l2', 'current_l3', 'current_unbalance', 'trip_count', 'last_trip_cause']));
    expect((await loadProfile('generic-vfd')).commands.find((c) => c.action === 'SET_SPEED')).toMatchObject({ table: 'holding', address: 4000, min: 0, max: 1800 });
  });

  it('refuse overlapping registers with both paths', () => {
    const p = { ...base, registers: [...base.registers, { reading: 'rpm', table: 'holding', address: 2999, type: 'uint32' }] };
    expect(refuse(p)).toThrow('registers.1.address: holding 2999-3000 overlaps registers.0 (current at 3000-3000)');
  });

  it('let the same address live in two tables', () => {
    const p = { ...base, registers: [...base.registers, { reading: 'rpm', table: 'input', address: 3000 }] };
    expect(parseProfile(JSON.stringify(p), 'x').registers).toHaveLength(2);
  });

  it('refuse addresses outside 0-65535, also by a 32-bit value running past the end', () => {
    expect(refuse({ ...base, registers: [{ ...base.registers[0], address: 70000 }] })).toThrow('registers.0.address: must be 0-65535');
    expect(refuse({ ...base, registers: [{ ...base.registers[0], address: -1 }] })).toThrow('registers.0.address: must be 0-65535');
    expect(refuse({ ...base, registers: [{ ...base.registers[0], address: 65535, type: 'float32' }] })).toThrow('registers.0.address: float32 needs 2 registers from 65535');
  });

  it('refuse unknown types, tables and fields with their path', () => {
    expect(refuse({ ...base, registers: [{ ...base.registers[0], type: 'float64' }] })).toThrow('registers.0.type: must be one of uint16, int16, uint32, int32, float32');
    expect(refuse({ ...base, registers: [{ ...base.registers[0], table: 'holdings' }] })).toThrow('registers.0.table: must be one of holding, input, coil, discrete');
    expect(refuse({ ...base, registers: [{ ...base.registers[0], adress: 1 }] })).toThrow(/registers\.0: Unrecognized key.*adress/);
  });

  it('want a unit for a reading the twin does not know, and the twin\'s unit for one it does', () => {
    expect(refuse({ ...base, registers: [{ reading: 'thermal_capacity', table: 'input', address: 1 }] })).toThrow('registers.0.unit: thermal_capacity is not one of the twin\'s readings, so the profile must give its unit');
    expect(refuse({ ...base, registers: [{ ...base.registers[0], unit: 'mA' }] })).toThrow('registers.0.unit: current is in A, not mA: use scale to convert');
  });

  it('check commands: writable table, fixed values for STOP, a number for SET_SPEED, sane ranges', () => {
    expect(refuse({ ...base, commands: [{ action: 'SET_SPEED', table: 'input', address: 1 }] })).toThrow('commands.0.table: must be "holding" or "coil"');
    expect(refuse({ ...base, commands: [{ action: 'STOP', table: 'coil', address: 1 }] })).toThrow('commands.0.value: STOP writes a fixed value');
    expect(refuse({ ...base, commands: [{ action: 'SET_SPEED', table: 'holding', address: 1, min: 10, max: 5 }] })).toThrow('commands.0.min: min must not exceed max');
    expect(refuse({ ...base, commands: [{ action: 'STOP', table: 'coil', address: 1, value: 2 }] })).toThrow('commands.0.value: a coil is 0 or 1');
  });

  it('name the file and what is wrong when loading from a path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mt-profile-'));
    const file = join(dir, 'mine.json');
    writeFileSync(file, '{"name": "x", "registers": [');
    await expect(loadProfile(file)).rejects.toThrow(/^profile mine\.json: not JSON/);
    await expect(loadProfile('no-such-profile')).rejects.toThrow(/profile no-such-profile: cannot read .*ENOENT.*shipped profiles: .*generic-vfd/);
  });
});
