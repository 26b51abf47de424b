import { z } from 'zod';
import { deviceIdSchema } from './protocol/schemas';

// The "ask the twin" part of the contract: the chat (answers stream as `chat` events), the model settings
// (the API key goes in, never out), and the manuals library. contract.ts spreads `agentMethods` and
// `agentEvents` into its own.

export const MANUAL_KINDS = ['pdf', 'markdown', 'html', 'text'] as const;

export const manualInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(MANUAL_KINDS),
  title: z.string(),
  bytes: z.number(),
  pages: z.number(),
  chunks: z.number(),
  /** The machine the manual is about when it is clearly not a motor (it then ranks below motor manuals). */
  subject: z.string().nullable(),
  origin: z.enum(['starter', 'user']),
  /** Its passages carry embeddings (hybrid search). */
  embedded: z.boolean(),
  importedAt: z.number(),
});
export type ManualInfo = z.infer<typeof manualInfoSchema>;

export const citationSchema = z.object({
  n: z.number().int(),
  manualId: z.string(),
  /** The manual's file name. */
  source: z.string(),
  title: z.string(),
  page: z.number().int(),
  section: z.string().nullable(),
  text: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

export const toolStepSchema = z.object({
  name: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** Short and human: "read 24 h of temperature", "searched manuals: bearing noise". */
  label: z.string(),
  ok: z.boolean(),
});
export type ToolStep = z.infer<typeof toolStepSchema>;

export const CHAT_MODES = ['model', 'fallback', 'error'] as const;
export type ChatMode = (typeof CHAT_MODES)[number];

export const chatMessageSchema = z.object({
  id: z.string(),
  motorId: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  ts: z.number(),
  /** For answers: from the language model, from the deterministic fallback, or an error explained. */
  mode: z.enum(CHAT_MODES).nullable(),
  steps: z.array(toolStepSchema),
  citations: z.array(citationSchema),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const KEY_SOURCES = ['none', 'environment', 'flag', 'os-encrypted', 'plain-text', 'session'] as const;

export const agentSettingsViewSchema = z.object({
  /** A model is set up: answers come from it; otherwise from the deterministic fallback. */
  configured: z.boolean(),
  baseUrl: z.string().nullable(),
  model: z.string(),
  temperature: z.number(),
  timeoutS: z.number(),
  embeddingModel: z.string().nullable(),
  apiKeySet: z.boolean(),
  keySource: z.enum(KEY_SOURCES),
  /** Set when the key is kept where others could read it (no OS keychain). */
  keyWarning: z.string().nullable(),
});
export type AgentSettingsView = z.infer<typeof agentSettingsViewSchema>;

const optionalUrl = z
  .string()
  .trim()
  .max(500)
  .refine((u) => /^https?:\/\/[^\s/]+/.test(u), 'the base URL must start with http:// or https://');

export const agentSettingsPatchSchema = z.object({
  baseUrl: optionalUrl.nullable().optional(),
  model: z.string().trim().min(1).max(200).optional(),
  temperature: z.number().min(0).max(2).optional(),
  timeoutS: z.number().min(1).max(600).optional(),
  embeddingModel: z.string().trim().min(1).max(200).nullable().optional(),
  /** A new key, or null to forget it. Never sent back. */
  apiKey: z.string().trim().min(1).max(500).nullable().optional(),
});
export type AgentSettingsPatch = z.infer<typeof agentSettingsPatchSchema>;

export const searchHitSchema = citationSchema.omit({ n: true }).extend({ score: z.number() });

export const manualPageSchema = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  kind: z.enum(MANUAL_KINDS),
  page: z.number(),
  pages: z.array(z.number()),
  text: z.string(),
});

/** Uploads travel in base64 chunks (a multiple of 3 bytes each) under the WebSocket's 1 MiB frame limit. */
export const MANUAL_CHUNK_BYTES = 600 * 1024 - ((600 * 1024) % 3);
/** One manual file at most (the UI's upload and `manuals add` alike): a larger one is refused before it is read. */
export const MAX_MANUAL_MB = 50;
export const MAX_MANUAL_BYTES = MAX_MANUAL_MB * 1024 * 1024;

const motor = z.object({ motorId: deviceIdSchema });

export const agentMethods = {
  'agent.settings': { params: z.object({}).strict(), result: agentSettingsViewSchema },
  'agent.configure': { params: agentSettingsPatchSchema, result: agentSettingsViewSchema },
  'agent.testConnection': { params: z.object({}).strict(), result: z.object({ ok: z.boolean(), message: z.string(), latencyMs: z.number().nullable() }) },
  'chat.history': { params: motor, result: z.array(chatMessageSchema) },
  'chat.ask': { params: motor.extend({ question: z.string().trim().min(1).max(4000) }), result: z.object({ requestId: z.string() }) },
  'chat.cancel': { params: z.object({ requestId: z.string().max(80) }), result: z.object({ cancelled: z.boolean() }) },
  'chat.clear': { params: motor, result: z.object({ cleared: z.number() }) },
  'chat.suggestions': { params: motor, result: z.array(z.string()) },
  'manuals.list': { params: z.object({}).strict(), result: z.array(manualInfoSchema) },
  'manuals.upload': {
    params: z.object({
      uploadId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      name: z.string().trim().min(1).max(255),
      offset: z.number().int().min(0),
      total: z.number().int().min(1).max(MAX_MANUAL_BYTES),
      data: z.string().max(Math.ceil(MANUAL_CHUNK_BYTES / 3) * 4),
    }),
    result: z.object({ received: z.number(), complete: z.boolean() }),
  },
  'manuals.remove': { params: z.object({ id: z.string().min(1).max(80) }), result: z.object({ removed: z.boolean() }) },
  'manuals.page': { params: z.object({ id: z.string().min(1).max(80), page: z.number().int().min(1) }), result: manualPageSchema },
  'manuals.search': { params: z.object({ query: z.string().trim().min(1).max(1000), limit: z.number().int().min(1).max(20).default(5) }), result: z.array(searchHitSchema) },
} as const;

export const IMPORT_STATUSES = ['queued', 'reading', 'indexing', 'embedding', 'done', 'unchanged', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const manualImportSchema = z.object({
  importId: z.string(),
  name: z.string(),
  status: z.enum(IMPORT_STATUSES),
  pagesDone: z.number(),
  pagesTotal: z.number(),
  message: z.string().nullable(),
  manualId: z.string().nullable(),
});
export type ManualImport = z.infer<typeof manualImportSchema>;

const chatBase = { requestId: z.string(), motorId: z.string() };
export const chatEventSchema = z.discriminatedUnion('type', [
  z.object({ ...chatBase, type: z.literal('start'), mode: z.enum(['model', 'fallback']), question: chatMessageSchema }),
  z.object({ ...chatBase, type: z.literal('token'), text: z.string() }),
  z.object({ ...chatBase, type: z.literal('step'), step: toolStepSchema }),
  z.object({ ...chatBase, type: z.literal('done'), message: chatMessageSchema }),
]);
export type ChatEvent = z.infer<typeof chatEventSchema>;

export const agentEvents = {
  /** A chat answer as it streams: start, tokens, tool steps, then the stored message. */
  chat: chatEventSchema,
  /** Progress of one manual's import. */
  manualImport: manualImportSchema,
} as const;
