import { z } from 'zod';
import { deviceIdSchema } from './protocol/schemas';

// The contract for drives and protection relays on Modbus TCP or RTU: which devices are polled, how they
// answer, and a test read before one is added. Spread into `methods` of contract.ts.

export const MODBUS_TABLES = ['holding', 'input', 'coil', 'discrete'] as const;
export type ModbusTable = (typeof MODBUS_TABLES)[number];
export const MODBUS_TYPES = ['uint16', 'int16', 'uint32', 'int32', 'float32'] as const;
export type ModbusType = (typeof MODBUS_TYPES)[number];
export const PARITIES = ['none', 'even', 'odd'] as const;
/** RS-485 drives and relays rarely go faster than 115200; 1200 is still met on old relays. */
export const RTU_BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

const hostSchema = z
  .string()
  .min(1, 'host is required')
  .max(253)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'host must be a name or an IP address (letters, digits, ".", "-", ":")');
const pathSchema = z
  .string()
  .min(1, 'path is required')
  .max(256)
  .refine((p) => !/[\0\n?]/.test(p), 'path must be a serial device such as /dev/ttyUSB0 or COM3');

export const modbusEndpointSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('tcp'), host: hostSchema, port: z.number().int().min(1).max(65535).default(502) }),
    z.object({
      kind: z.literal('rtu'),
      path: pathSchema,
      baud: z
        .number()
        .int()
        .refine((b) => (RTU_BAUDS as readonly number[]).includes(b), `baud must be one of ${RTU_BAUDS.join(', ')}`)
        .default(19200),
      parity: z.enum(PARITIES, { error: `parity must be one of ${PARITIES.join(', ')}` }).default('even'),
      dataBits: z.union([z.literal(7), z.literal(8)], { error: 'dataBits must be 7 or 8' }).default(8),
      stopBits: z.union([z.literal(1), z.literal(2)], { error: 'stopBits must be 1 or 2' }).default(1),
    }),
  ],
  { error: 'kind must be "tcp" or "rtu"' },
);
export type ModbusEndpoint = z.output<typeof modbusEndpointSchema>;

export const modbusDeviceConfigSchema = z
  .object({
    /** The motor's twin the device's readings go to: a drive and a relay of one motor share it. */
    id: deviceIdSchema,
    endpoint: modbusEndpointSchema,
    /** Unit id (slave address). 1-247 on RS-485; TCP gateways also use 0 and 255. */
    unit: z.number().int().min(0, 'unit must be 0-255').max(255, 'unit must be 0-255'),
    /** A shipped profile's name (resources/modbus/NAME.json) or the path of a profile file. */
    profile: z.string().trim().min(1, 'profile is required').max(1024),
    intervalMs: z.number().int().min(100, 'interval must be at least 100 ms').max(3_600_000).default(1000),
    timeoutMs: z.number().int().min(20, 'timeout must be at least 20 ms').max(60_000).default(1000),
    retries: z.number().int().min(0).max(10).default(2),
  })
  .refine((c) => c.endpoint.kind === 'tcp' || (c.unit >= 1 && c.unit <= 247), { message: 'unit on an RS-485 line must be 1-247', path: ['unit'] });
export type ModbusDeviceConfig = z.output<typeof modbusDeviceConfigSchema>;
export type ModbusDeviceConfigInput = z.input<typeof modbusDeviceConfigSchema>;

/** One register of a profile as last read: the words or bits on the wire and what they mean. */
export const registerValueSchema = z.object({
  reading: z.string(),
  label: z.string(),
  table: z.enum(MODBUS_TABLES),
  address: z.number(),
  type: z.enum(MODBUS_TYPES),
  unit: z.string(),
  /** Words (registers) or bits (coils) as received; empty when the read failed. */
  raw: z.array(z.number()),
  value: z.number().nullable(),
  /** The profile's meaning of a code ("thermal overload" for a last trip cause of 1). */
  text: z.string().nullable(),
  error: z.string().nullable(),
});
export type RegisterValue = z.infer<typeof registerValueSchema>;

export const MODBUS_DEVICE_STATES = ['connecting', 'online', 'offline'] as const;

export const modbusCountsSchema = z.object({
  polls: z.number(),
  failedPolls: z.number(),
  exceptions: z.number(),
  timeouts: z.number(),
  crcErrors: z.number(),
  wrongUnit: z.number(),
  shortFrames: z.number(),
  garbage: z.number(),
});
export type ModbusCounts = z.infer<typeof modbusCountsSchema>;

export const modbusDeviceInfoSchema = z.object({
  key: z.string(),
  id: z.string(),
  /** "tcp://10.0.0.5:502" or "rtu:/dev/ttyUSB0 19200 8E1". */
  endpoint: z.string(),
  unit: z.number(),
  profile: z.string(),
  intervalMs: z.number(),
  state: z.enum(MODBUS_DEVICE_STATES),
  /** The last problem in words ("illegal data address 3000", "no answer within 1000 ms"). */
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  lastPollAt: z.number().nullable(),
  counts: modbusCountsSchema,
  values: z.array(registerValueSchema),
  /** The commands the profile can write (SET_SPEED, STOP…). */
  commands: z.array(z.string()),
});
export type ModbusDeviceInfo = z.infer<typeof modbusDeviceInfoSchema>;

export const modbusProfileInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  readings: z.array(z.string()),
  commands: z.array(z.string()),
});
export type ModbusProfileInfo = z.infer<typeof modbusProfileInfoSchema>;

export const testReadResultSchema = z.object({ profile: z.string(), ms: z.number(), values: z.array(registerValueSchema) });
export type TestReadResult = z.infer<typeof testReadResultSchema>;

export const modbusMethods = {
  'modbus.list': { params: z.object({}).strict(), result: z.array(modbusDeviceInfoSchema) },
  'modbus.profiles': { params: z.object({}).strict(), result: z.array(modbusProfileInfoSchema) },
  'modbus.add': { params: modbusDeviceConfigSchema, result: modbusDeviceInfoSchema },
  'modbus.remove': { params: z.object({ key: z.string().min(1).max(1400) }), result: z.object({ removed: z.boolean() }) },
  /** One poll of a device not yet added: raw and scaled values per register, or what went wrong. */
  'modbus.testRead': { params: modbusDeviceConfigSchema, result: testReadResultSchema },
} as const;
