import { z } from 'zod';
import { COMMAND_ACTIONS } from './protocol/commands';
import { deviceIdSchema } from './protocol/schemas';

// Commands back to the motor (the closed loop): their lifecycle, the per-motor limits every command
// passes, desired versus reported set-points, and the audit trail. Carried by the one contract.

/**
 * pending_approval: waits for a person. approved: passed the gate, not yet handed to the transport.
 * sent: the broker or the serial port has it. received/applied/rejected: the device's acknowledgements.
 * expired: no final acknowledgement in time. failed: could not be sent. refused: the limits said no, so
 * it never went anywhere. cancelled: a person rejected it in the queue.
 */
export const COMMAND_STATUSES = ['pending_approval', 'approved', 'sent', 'received', 'applied', 'rejected', 'expired', 'failed', 'refused', 'cancelled'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];
export const FINAL_STATUSES: readonly CommandStatus[] = ['applied', 'rejected', 'expired', 'failed', 'refused', 'cancelled'];

export const ISSUER_KINDS = ['person', 'rule', 'agent', 'api'] as const;
export const issuerSchema = z.object({ kind: z.enum(ISSUER_KINDS), name: z.string().trim().min(1).max(80) });
export type Issuer = z.infer<typeof issuerSchema>;

/** The actions a person or a proposal may ask for; CALIBRATE goes through the calibration wizard. */
export const OPERATOR_ACTIONS = COMMAND_ACTIONS.filter((a) => a !== 'CALIBRATE');
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

export const commandRequestSchema = z.object({
  deviceId: deviceIdSchema,
  action: z.enum(OPERATOR_ACTIONS, { error: `action must be one of ${OPERATOR_ACTIONS.join(', ')}` }),
  value: z.number().finite().optional(),
  reason: z.string().trim().min(1, 'say why: a reason is required').max(500),
  /** START while a critical alarm is active needs a person's reason for overriding it. */
  overrideReason: z.string().trim().min(1).max(500).optional(),
});
export type CommandRequest = z.infer<typeof commandRequestSchema>;

export const commandRecordSchema = z.object({
  id: z.string(),
  deviceId: z.string(),
  action: z.enum(COMMAND_ACTIONS),
  value: z.number().nullable(),
  issuer: issuerSchema,
  reason: z.string(),
  status: z.enum(COMMAND_STATUSES),
  /** Why it is in this status: the refusal, the device's detail, the approver's comment. */
  detail: z.string().nullable(),
  transport: z.enum(['mqtt', 'serial', 'modbus']).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  sentAt: z.number().nullable(),
  expiresAt: z.number(),
  approvedBy: z.string().nullable(),
  overrideReason: z.string().nullable(),
});
export type CommandRecord = z.infer<typeof commandRecordSchema>;

const rangeSchema = z.object({ allowed: z.boolean(), min: z.number().nullable(), max: z.number().nullable() });
export type ActionLimit = z.infer<typeof rangeSchema>;

export const commandPolicySchema = z
  .object({
    actions: z.record(z.enum(OPERATOR_ACTIONS), rangeSchema),
    /** Commands per motor per minute, all issuers together. */
    perMinute: z.number().int().min(1).max(120),
    /** How long a sent command may wait for its final acknowledgement. */
    ackTimeoutS: z.number().min(1).max(600),
    /** Actions the HTTP API may send without a person's approval (harmless ones, by default IDENTIFY). */
    apiWithoutApproval: z.array(z.enum(OPERATOR_ACTIONS)),
    /** What a rule's alarm proposes (for example OVERHEATING → REDUCE_LOAD 20). */
    ruleActions: z.record(z.string().min(1).max(60), z.object({ action: z.enum(OPERATOR_ACTIONS), value: z.number().nullable(), auto: z.boolean() })),
  })
  .refine((p) => p.actions.STOP.allowed, 'STOP is always allowed');
export type CommandPolicy = z.infer<typeof commandPolicySchema>;

export const SETPOINTS = ['load_reduction', 'speed_rpm', 'rate_hz', 'running'] as const;
export type SetpointName = (typeof SETPOINTS)[number];
export const setpointSchema = z.object({ desired: z.number().nullable(), reported: z.number().nullable(), commandId: z.string().nullable() });
export const setpointsSchema = z.object({ deviceId: z.string(), values: z.partialRecord(z.enum(SETPOINTS), setpointSchema) });
export type Setpoints = z.infer<typeof setpointsSchema>;

/** The commands' own events, then what people did elsewhere (alarms, rules, bench tests, calibrations) and what a role was refused. */
export const AUDIT_KINDS = ['command', 'approval', 'edit', 'rejection', 'acknowledgement', 'alert', 'refusal', 'policy', 'ignored_ack', 'alarm', 'rules', 'bench', 'calibration', 'denied'] as const;
export const auditEntrySchema = z.object({
  ts: z.number(),
  deviceId: z.string().nullable(),
  kind: z.enum(AUDIT_KINDS),
  commandId: z.string().nullable(),
  actor: z.string(),
  text: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const idParam = z.string().min(1).max(80);
/** Who is at the keyboard; the audit trail names them. */
const operator = z.string().trim().min(1).max(80).default('operator');

export const commandMethods = {
  /** A person's command from the UI (after its confirmation dialog): it goes without approval. */
  'commands.create': { params: commandRequestSchema.extend({ operator }), result: commandRecordSchema },
  'commands.list': {
    params: z.object({ deviceId: deviceIdSchema.optional(), status: z.enum(COMMAND_STATUSES).optional(), limit: z.number().int().min(1).max(1000).default(100) }),
    result: z.array(commandRecordSchema),
  },
  'commands.approve': {
    params: z.object({ id: idParam, operator, comment: z.string().trim().max(500).default(''), value: z.number().finite().optional() }),
    result: commandRecordSchema,
  },
  'commands.reject': { params: z.object({ id: idParam, operator, comment: z.string().trim().min(1, 'say why it is rejected').max(500) }), result: commandRecordSchema },
  'commands.policy': { params: z.object({ deviceId: deviceIdSchema }), result: commandPolicySchema },
  'commands.setPolicy': { params: z.object({ deviceId: deviceIdSchema, operator, policy: commandPolicySchema }), result: commandPolicySchema },
  'commands.setpoints': { params: z.object({ deviceId: deviceIdSchema }), result: setpointsSchema },
  'audit.list': { params: z.object({ deviceId: deviceIdSchema.optional(), limit: z.number().int().min(1).max(2000).default(200) }), result: z.array(auditEntrySchema) },
  'audit.export': {
    params: z.object({ deviceId: deviceIdSchema.optional() }),
    result: z.object({ file: z.string(), rows: z.number(), downloadPath: z.string() }),
  },
} as const;

export const commandEvents = {
  /** A command changed status (full record). */
  command: commandRecordSchema,
  setpoints: setpointsSchema,
  audit: auditEntrySchema,
} as const;
