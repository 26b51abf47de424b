import { z } from 'zod';
import { READING_NAMES } from './readings';
import { deviceIdSchema } from './protocol/schemas';

// The 3D twin's part of the contract: where each sensor sits on the motor's model (a node name and the
// clicked point on it) and, optionally, the user's own glTF/GLB model. contract.ts spreads `twin3dMethods`.

/** Node names of the built-in procedural motor; a custom model uses its own node names. */
export const BUILTIN_PARTS = ['frame', 'bearing_de', 'bearing_nde', 'terminal_box', 'shaft', 'fan_cover', 'feet', 'lifting_eye'] as const;
export type BuiltinPart = (typeof BUILTIN_PARTS)[number];

export const sensorSiteSchema = z.object({
  node: z.string().min(1).max(200),
  /** Where on the node, in the model's coordinates; null: the node's centre. */
  point: z.tuple([z.number(), z.number(), z.number()]).nullable().default(null),
});
export type SensorSite = z.infer<typeof sensorSiteSchema>;

export const twin3dMappingSchema = z.object({
  model: z.enum(['builtin', 'custom']).default('builtin'),
  sites: z.partialRecord(z.enum(READING_NAMES), sensorSiteSchema).default({}),
  /** Nodes of an imported model that turn with the shaft; null: those named like a shaft, rotor or fan. */
  turning: z.array(z.string().min(1).max(200)).max(32).nullable().default(null),
});
export type Twin3dMapping = z.infer<typeof twin3dMappingSchema>;

/**
 * Models travel in base64 chunks, so each message stays under the WebSocket's 1 MiB frame limit; a multiple
 * of 3 bytes, so every chunk's base64 stands alone.
 */
export const MODEL_CHUNK_BYTES = 3 * 170 * 1024;
export const MODEL_MAX_BYTES = 20 * 1024 * 1024;

export const twin3dStateSchema = z.object({
  id: z.string(),
  /** Null until the user changed something: the UI then uses the built-in defaults. */
  mapping: twin3dMappingSchema.nullable(),
  model: z.object({ name: z.string(), bytes: z.number(), updatedAt: z.number() }).nullable(),
});
export type Twin3dState = z.infer<typeof twin3dStateSchema>;

const motor = z.object({ id: deviceIdSchema });
const modelName = z.string().trim().min(1).max(200).regex(/\.(glb|gltf)$/i, 'a .glb or .gltf file');

export const twin3dMethods = {
  'twin3d.get': { params: motor, result: twin3dStateSchema },
  'twin3d.setMapping': { params: z.object({ id: deviceIdSchema, mapping: twin3dMappingSchema }), result: twin3dStateSchema },
  /** One chunk of a model, in order from offset 0; the last one stores it (and switches the mapping to it). */
  'twin3d.putModel': {
    params: z.object({
      id: deviceIdSchema,
      name: modelName,
      offset: z.number().int().min(0),
      total: z.number().int().min(1).max(MODEL_MAX_BYTES),
      data: z.base64().max((MODEL_CHUNK_BYTES / 3) * 4),
    }),
    result: z.object({ received: z.number(), complete: z.boolean() }),
  },
  'twin3d.readModel': { params: z.object({ id: deviceIdSchema, offset: z.number().int().min(0).multipleOf(MODEL_CHUNK_BYTES) }), result: z.object({ data: z.base64(), total: z.number() }) },
  'twin3d.removeModel': { params: motor, result: twin3dStateSchema },
} as const;
