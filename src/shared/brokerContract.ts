import { z } from 'zod';
import { deviceIdSchema } from './protocol/schemas';

/** What to do when the embedded broker's port is held by another program at start. */
export const PORT_TAKEN_CHOICES = ['move', 'use'] as const;
export type PortTakenChoice = (typeof PORT_TAKEN_CHOICES)[number];

/** One broker the engine is on: the embedded one or an external one (the plant's, the bench's). */
export const brokerStatusSchema = z.object({
  /** Stable within a run: "embedded", or the external broker's host:port. */
  id: z.string(),
  mode: z.enum(['embedded', 'external']),
  url: z.string(),
  connected: z.boolean(),
  clients: z.number().nullable(),
  error: z.string().nullable(),
  /** TLS to the external broker without certificate checks, as the person chose for this connection. */
  tlsUnverified: z.boolean().optional(),
  /** The MQTT version spoken with it (null until connected). */
  protocol: z.enum(['3.1.1', '5']).nullable().optional(),
  /** Something a person should know: a fallback to 3.1.1, a move to another port, a board refused. */
  note: z.string().nullable().optional(),
  /** The embedded broker's port was taken by another broker at start: what was done about it. */
  foundBroker: z.object({ host: z.string(), port: z.number(), action: z.enum(['moved', 'used']) }).nullable().optional(),
});
export type BrokerStatus = z.infer<typeof brokerStatusSchema>;

/** A message as its broker delivered it, for the inspector. */
export const receivedMessageSchema = z.object({
  ts: z.number(),
  broker: z.string(),
  topic: z.string(),
  qos: z.number(),
  retain: z.boolean(),
  /** MQTT 5 user properties (a name may repeat, hence arrays). */
  userProperties: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  correlationData: z.string().nullable(),
  responseTopic: z.string().nullable(),
  bytes: z.number(),
  payload: z.string(),
});
export type ReceivedMessage = z.infer<typeof receivedMessageSchema>;

export const brokerMethods = {
  /** The last messages a twin's broker delivered, newest first. */
  'twins.messages': { params: z.object({ id: deviceIdSchema }), result: z.array(receivedMessageSchema) },
  /** Remembers what to do next time the embedded broker's port is taken (applies from the next start). */
  'broker.rememberChoice': { params: z.object({ whenPortTaken: z.enum(PORT_TAKEN_CHOICES) }), result: z.object({ file: z.string() }) },
} as const;
