import { z } from 'zod';
import { provisioningSchema } from './protocol/provisioning';
import { deviceIdSchema } from './protocol/schemas';

// The contract for boards on USB: ports, the serial console, flashing and calibration. Spread into
// `methods` and `events` of contract.ts.

export const BAUD_RATES = [9600, 19200, 38400, 57600, 74880, 115200, 230400, 460800, 921600, 1500000, 2000000] as const;
export const DEFAULT_BAUD = 115200;

const portPath = z
  .string()
  .min(1, 'path is required')
  .max(256)
  .refine((p) => !/[\0\n]/.test(p), 'path must be a device path such as /dev/ttyUSB0 or COM3');
const baud = z
  .number()
  .int()
  .refine((b) => (BAUD_RATES as readonly number[]).includes(b), `baud must be one of ${BAUD_RATES.join(', ')}`);

export const PORT_STATES = ['closed', 'opening', 'open', 'reconnecting', 'flashing', 'error'] as const;

export const serialPortInfoSchema = z.object({
  path: z.string(),
  manufacturer: z.string().nullable(),
  serialNumber: z.string().nullable(),
  vid: z.string().nullable(),
  pid: z.string().nullable(),
  /** The USB bridge recognised from VID:PID ("CP210x", "CH340", "ESP32-S3 native USB"…). */
  bridge: z.string().nullable(),
  /** Which chip family a board on this bridge likely has. */
  chipFamily: z.string().nullable(),
  /** False when the port was opened earlier and is now unplugged. */
  present: z.boolean(),
  state: z.enum(PORT_STATES),
  baud: z.number().nullable(),
  deviceId: z.string().nullable(),
  error: z.string().nullable(),
  /** Advice when lines look garbled (usually a wrong baud rate). */
  hint: z.string().nullable(),
  lines: z.number(),
  garbageLines: z.number(),
  rejectedLines: z.number(),
});
export type SerialPortInfo = z.infer<typeof serialPortInfoSchema>;

export const CONSOLE_DIRECTIONS = ['rx', 'tx', 'info'] as const;
export const consoleLineSchema = z.object({
  seq: z.number(),
  ts: z.number(),
  dir: z.enum(CONSOLE_DIRECTIONS),
  text: z.string(),
  /** Raw bytes as hex when the line was not valid UTF-8 (garbage, wrong baud). */
  hex: z.string().optional(),
  kind: z.enum(['json', 'text', 'rejected', 'garbage']).optional(),
});
export type ConsoleLine = z.infer<typeof consoleLineSchema>;

export const flashPhaseSchema = z.enum(['queued', 'connecting', 'detecting', 'erasing', 'writing', 'verifying', 'resetting', 'confirming', 'done', 'failed', 'cancelled']);
export type FlashPhase = z.infer<typeof flashPhaseSchema>;

export const flashJobSchema = z.object({
  jobId: z.string(),
  path: z.string(),
  phase: flashPhaseSchema,
  written: z.number(),
  total: z.number(),
  percent: z.number(),
  chip: z.string().nullable(),
  md5: z.string().nullable(),
  /** The firmware version the board reported after the reset, when the image names one. */
  confirmedVersion: z.string().nullable(),
  expectedVersion: z.string().nullable(),
  message: z.string(),
  error: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type FlashJob = z.infer<typeof flashJobSchema>;

export const CALIBRATION_SENSORS = ['temperature', 'accel', 'rpm'] as const;
export type CalibrationSensor = (typeof CALIBRATION_SENSORS)[number];

export const measurementSchema = z.object({
  sensor: z.enum(CALIBRATION_SENSORS),
  n: z.number(),
  mean: z.array(z.number()),
  std: z.array(z.number()),
  seconds: z.number(),
});
export type Measurement = z.infer<typeof measurementSchema>;

const instrument = z.object({
  name: z.string().trim().min(1, 'name the reference instrument').max(120),
  certificateNo: z.string().trim().min(1, "give the reference instrument's own certificate number").max(120),
});

const finite = (what: string) => z.number({ error: `${what} must be a number` }).finite();

export const calibrationRequestSchema = z.discriminatedUnion('sensor', [
  z.object({
    sensor: z.literal('temperature'),
    deviceId: deviceIdSchema,
    technician: z.string().trim().min(1, 'who calibrates?').max(120),
    reference: instrument,
    /** One or two points: what the reference thermometer read and what the board read at that moment. */
    points: z
      .array(z.object({ reference: finite('reference temperature').min(-50, 'reference temperature out of range -50..250 C').max(250, 'reference temperature out of range -50..250 C'), measured: finite('board temperature').min(-50).max(250) }))
      .min(1)
      .max(2),
    seconds: z.number().min(1).max(30).default(3),
  }),
  z.object({
    sensor: z.literal('accel'),
    deviceId: deviceIdSchema,
    technician: z.string().trim().min(1, 'who calibrates?').max(120),
    reference: instrument,
    verticalAxis: z.enum(['x', 'y', 'z']).default('z'),
    seconds: z.number().min(1).max(30).default(3),
  }),
  z.object({
    sensor: z.literal('rpm'),
    deviceId: deviceIdSchema,
    technician: z.string().trim().min(1, 'who calibrates?').max(120),
    reference: instrument,
    referenceRpm: finite('tachometer reading').positive('tachometer reading must be above 0 rpm').max(100_000, 'tachometer reading out of range'),
    seconds: z.number().min(1).max(30).default(3),
  }),
]);
export type CalibrationRequest = z.infer<typeof calibrationRequestSchema>;

export const certificateSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  board: z.string().nullable(),
  port: z.string().nullable(),
  sensor: z.enum(CALIBRATION_SENSORS),
  instrument: z.string(),
  instrumentCertificate: z.string(),
  technician: z.string(),
  createdAt: z.number(),
  calibrationId: z.string(),
  /** What was sent to the board (offset/gain, zero, pulses per revolution). */
  values: z.record(z.string(), z.unknown()),
  before: measurementSchema,
  after: measurementSchema,
  notes: z.string(),
});
export type Certificate = z.infer<typeof certificateSchema>;

const base64 = z.string().max(700_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'data must be base64');

export const serialMethods = {
  'serial.ports': { params: z.object({}).strict(), result: z.array(serialPortInfoSchema) },
  'serial.open': { params: z.object({ path: portPath, baud: baud.default(DEFAULT_BAUD) }), result: serialPortInfoSchema },
  'serial.close': { params: z.object({ path: portPath }), result: z.object({ closed: z.boolean() }) },
  'serial.console': {
    params: z.object({ path: portPath, afterSeq: z.number().int().min(-1).default(-1), limit: z.number().int().min(1).max(20_000).default(5000) }),
    result: z.object({ lines: z.array(consoleLineSchema), dropped: z.number() }),
  },
  'serial.clear': { params: z.object({ path: portPath }), result: z.object({ cleared: z.boolean() }) },
  'serial.send': { params: z.object({ path: portPath, line: z.string().max(4096).refine((l) => !/[\r\n]/.test(l), 'one line, without line breaks') }), result: z.object({ sent: z.boolean() }) },
  'serial.command': {
    params: z.object({ path: portPath, command: z.record(z.string(), z.unknown()) }),
    result: z.object({ id: z.string(), status: z.string(), detail: z.string().nullable() }),
  },
  /** CONFIG over USB: device id, Wi-Fi and broker; secrets are masked everywhere they could be shown. */
  'serial.provision': {
    params: z.object({ path: portPath, settings: provisioningSchema }),
    result: z.object({ id: z.string(), status: z.string(), detail: z.string().nullable() }),
  },
  'serial.log': { params: z.object({ path: portPath, enabled: z.boolean() }), result: z.object({ file: z.string().nullable() }) },
  'flash.upload': {
    params: z.object({ uploadId: z.string().max(64).optional(), data: base64, final: z.boolean().default(false) }),
    result: z.object({ uploadId: z.string(), bytes: z.number() }),
  },
  'flash.start': {
    params: z
      .object({
        path: portPath,
        uploadId: z.string().max(64).optional(),
        file: z.string().max(1024).optional(),
        offset: z.number().int().min(0).max(0x1000000).default(0x10000),
        baud: baud.default(460800),
      })
      .refine((p) => Boolean(p.uploadId) !== Boolean(p.file), 'give an uploaded image (uploadId) or a file, not both'),
    result: flashJobSchema,
  },
  /** The project's own firmware builds (firmware/.pio/build/<env>/firmware.bin), to flash by file. */
  'flash.builds': {
    params: z.object({}).strict(),
    result: z.array(z.object({ env: z.string(), file: z.string(), bytes: z.number(), builtAt: z.number() })),
  },
  'flash.cancel': { params: z.object({ jobId: z.string() }), result: z.object({ cancelled: z.boolean() }) },
  'flash.jobs': { params: z.object({}).strict(), result: z.array(flashJobSchema) },
  'calibration.measure': {
    params: z.object({ deviceId: deviceIdSchema, sensor: z.enum(CALIBRATION_SENSORS), seconds: z.number().min(0.5).max(30).default(3) }),
    result: measurementSchema,
  },
  'calibration.run': { params: calibrationRequestSchema, result: certificateSchema },
  'calibration.certificates': { params: z.object({ deviceId: deviceIdSchema.optional() }), result: z.array(certificateSchema) },
  'calibration.export': { params: z.object({ id: z.string().max(64) }), result: z.object({ file: z.string(), downloadPath: z.string() }) },
} as const;

export const serialEvents = {
  /** The port list changed: a board was plugged in or out, opened, closed, or changed state. */
  serialPorts: z.array(serialPortInfoSchema),
  /** New console lines of one port, batched. */
  serialConsole: z.object({ path: z.string(), lines: z.array(consoleLineSchema) }),
  flashProgress: flashJobSchema,
} as const;
