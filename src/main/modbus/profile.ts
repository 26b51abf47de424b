import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { READINGS, isReadingName } from '../../shared/readings';
import { MODBUS_TABLES, MODBUS_TYPES, type ModbusProfileInfo, type ModbusTable, type ModbusType } from '../../shared/modbusContract';
import { packageRoot } from '../platform/paths';

// A device profile: which registers of a drive or relay hold which reading, and which ones a command
// writes. Profiles are data (resources/modbus/*.json, or a user's file), so every field is checked and a
// mistake is refused with the path of the field ("registers.2.type: …"), never guessed around.

const READING_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const address = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0-65535').max(65535, 'must be 0-65535');
const scale = z.number().finite().refine((s) => s !== 0, 'must not be 0').default(1);

const registerSchema = z
  .object({
    reading: z.string().regex(READING_PATTERN, 'must be a reading name: lower-case letters, digits and "_", starting with a letter'),
    label: z.string().min(1).max(60).optional(),
    table: z.enum(MODBUS_TABLES, { error: `must be one of ${MODBUS_TABLES.join(', ')}` }),
    address,
    type: z.enum(MODBUS_TYPES, { error: `must be one of ${MODBUS_TYPES.join(', ')}` }).optional(),
    wordOrder: z.enum(['big', 'little'], { error: 'must be "big" (high word first) or "little"' }).default('big'),
    scale,
    unit: z.string().min(1, 'must not be empty').max(16).optional(),
    /** What a code means ("1": "thermal overload"), for fault codes and trip causes. */
    codes: z.record(z.string().regex(/^-?\d+$/, 'code keys must be whole numbers'), z.string().min(1).max(80)).optional(),
  })
  .strict();

const commandSchema = z
  .object({
    action: z.enum(['SET_SPEED', 'REDUCE_LOAD', 'STOP', 'START'], { error: 'must be SET_SPEED, REDUCE_LOAD, STOP or START' }),
    table: z.enum(['holding', 'coil'], { error: 'must be "holding" or "coil": only those can be written' }),
    address,
    type: z.enum(MODBUS_TYPES, { error: `must be one of ${MODBUS_TYPES.join(', ')}` }).optional(),
    wordOrder: z.enum(['big', 'little']).default('big'),
    scale,
    /** The fixed value STOP and START write (raw); SET_SPEED and REDUCE_LOAD write the command's value. */
    value: z.number().finite().optional(),
    /** The device's own range, in the command's units (rpm, %): refused outside, whatever the motor's limits. */
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .strict();

export const profileSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    description: z.string().max(1000).default(''),
    registers: z.array(registerSchema).min(1, 'a profile reads at least one register').max(500),
    commands: z.array(commandSchema).max(20).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const seen = new Map<string, number>();
    const spans: Array<{ table: ModbusTable; from: number; to: number; i: number }> = [];
    p.registers.forEach((r, i) => {
      const words = wordsOf(r.table, r.type);
      if (isBit(r.table) && r.type) issue(['registers', i, 'type'], `a ${r.table} holds one bit: leave type out`);
      if (r.address + words - 1 > 65535) issue(['registers', i, 'address'], `${r.type} needs ${words} registers from ${r.address}, beyond 65535`);
      if (isReadingName(r.reading)) {
        if (r.unit !== undefined && r.unit !== READINGS[r.reading].unit) issue(['registers', i, 'unit'], `${r.reading} is in ${READINGS[r.reading].unit}, not ${r.unit}: use scale to convert`);
      } else if (r.unit === undefined) issue(['registers', i, 'unit'], `${r.reading} is not one of the twin's readings, so the profile must give its unit`);
      const twice = seen.get(r.reading);
      if (twice !== undefined) issue(['registers', i, 'reading'], `${r.reading} is already read by registers.${twice}`);
      seen.set(r.reading, i);
      const from = r.address;
      const to = r.address + words - 1;
      const clash = spans.find((s) => s.table === r.table && s.from <= to && from <= s.to);
      if (clash) issue(['registers', i, 'address'], `${r.table} ${from}-${to} overlaps registers.${clash.i} (${p.registers[clash.i].reading} at ${clash.from}-${clash.to})`);
      spans.push({ table: r.table, from, to, i });
    });
    const actions = new Set<string>();
    p.commands.forEach((c, i) => {
      if (actions.has(c.action)) issue(['commands', i, 'action'], `${c.action} is already defined`);
      actions.add(c.action);
      const fixed = c.action === 'STOP' || c.action === 'START';
      if (fixed && c.value === undefined) issue(['commands', i, 'value'], `${c.action} writes a fixed value: give it`);
      if (!fixed && c.value !== undefined) issue(['commands', i, 'value'], `${c.action} writes the command's own value: leave value out`);
      if (c.table === 'coil' && c.type) issue(['commands', i, 'type'], 'a coil holds one bit: leave type out');
      if (c.table === 'coil' && c.value !== undefined && c.value !== 0 && c.value !== 1) issue(['commands', i, 'value'], 'a coil is 0 or 1');
      if (c.table === 'coil' && !fixed) issue(['commands', i, 'table'], `${c.action} carries a number: write it to a holding register`);
      if (c.address + wordsOf(c.table, c.type) - 1 > 65535) issue(['commands', i, 'address'], `needs registers beyond 65535`);
      if (c.min !== undefined && c.max !== undefined && c.min > c.max) issue(['commands', i, 'min'], 'min must not exceed max');
    });
  });
export type Profile = z.output<typeof profileSchema>;
export type ProfileRegister = Profile['registers'][number];
export type ProfileCommand = Profile['commands'][number];

export const isBit = (table: ModbusTable) => table === 'coil' || table === 'discrete';
export const wordsOf = (table: ModbusTable, type: ModbusType | undefined) => (isBit(table) ? 1 : type === 'uint32' || type === 'int32' || type === 'float32' ? 2 : 1);

/** zod's issues as one line a person can act on: "registers.2.type: must be one of …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(profile)'}: ${i.message}`).join('; ');
}

export class ProfileError extends Error {}

/** Parses a profile's text; refused with the source and the path of every bad field. */
export function parseProfile(text: string, source: string): Profile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${source}: not JSON: ${(e as Error).message}`);
  }
  const r = profileSchema.safeParse(json);
  if (!r.success) throw new ProfileError(`${source}: ${describeIssues(r.error)}`);
  return r.data;
}

/** resources/modbus beside the packaged app or in the checkout. */
export function shippedProfilesDir(): string {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const packaged = resourcesPath ? join(resourcesPath, 'resources', 'modbus') : null;
  return packaged && existsSync(packaged) ? packaged : join(packageRoot(), 'resources', 'modbus');
}

const SHIPPED_NAME = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** A shipped profile by name ("generic-vfd") or a profile file by path. */
export async function loadProfile(ref: string, dir = shippedProfilesDir()): Promise<Profile> {
  const file = SHIPPED_NAME.test(ref) ? join(dir, `${ref}.json`) : ref;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const shipped = SHIPPED_NAME.test(ref) ? ` (shipped profiles: ${shippedNames(dir).join(', ') || 'none'})` : '';
    throw new ProfileError(`profile ${ref}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}${shipped}`);
  }
  return parseProfile(text, SHIPPED_NAME.test(ref) ? `profile ${ref}` : `profile ${basename(file)}`);
}

export function shippedNames(dir = shippedProfilesDir()): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort() : [];
}

export async function shippedProfiles(dir = shippedProfilesDir()): Promise<ModbusProfileInfo[]> {
  const out: ModbusProfileInfo[] = [];
  for (const name of shippedNames(dir)) {
    const p = await loadProfile(name, dir);
    out.push({ name, description: p.description, readings: p.registers.map((r) => r.reading), commands: p.commands.map((c) => c.action) });
  }
  return out;
}
