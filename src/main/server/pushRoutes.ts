import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { benchRunsPushSchema, certificatesPushSchema, PLANT_PUSH_PATHS, telemetryPushSchema } from '../../shared/plantContract';
import { HistoryUnavailable, type PushStore } from '../plant/pushStore';

// Where laptops push what they recorded on the bench: POST /api/push/bench-runs, /certificates and
// /telemetry. Each body is checked whole (the first bad field is named with its path) and answers what it
// stored and what was already there, so a laptop may re-send after any failure. The server's access
// policy (host, origin, credential, JSON body) has run before this.

type Send = (res: ServerResponse, status: number, body: unknown) => void;

// A bench run carries its readings (a 30-minute run at 1 Hz is ~2,000 rows); telemetry goes in batches.
const MAX_BODY = 16 * 1024 * 1024;

/** Answers /api/push/*; false for any other path. */
export async function pushRoutes(store: PushStore, req: IncomingMessage, path: string, res: ServerResponse, send: Send): Promise<boolean> {
  const kind = (Object.keys(PLANT_PUSH_PATHS) as Array<keyof typeof PLANT_PUSH_PATHS>).find((k) => PLANT_PUSH_PATHS[k] === path);
  if (!kind) return false;
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    send(res, 405, { error: 'use POST' });
    return true;
  }
  const body = await readJson(req);
  if (!body.ok) {
    send(res, body.status, { error: body.error });
    return true;
  }
  if (kind === 'benchRuns') {
    const p = benchRunsPushSchema.safeParse(body.value);
    if (!p.success) return refuse(res, send, p.error);
    send(res, 200, await store.benchRuns(p.data.runs));
  } else if (kind === 'certificates') {
    const p = certificatesPushSchema.safeParse(body.value);
    if (!p.success) return refuse(res, send, p.error);
    send(res, 200, await store.certificates(p.data.certificates));
  } else {
    const p = telemetryPushSchema.safeParse(body.value);
    if (!p.success) return refuse(res, send, p.error);
    try {
      send(res, 200, await store.telemetry(p.data.deviceId, p.data.rows));
    } catch (e) {
      if (!(e instanceof HistoryUnavailable)) throw e;
      res.setHeader('retry-after', '30');
      send(res, 503, { error: `the plant server cannot store history right now (${e.message}); push again later` });
    }
  }
  return true;
}

function refuse(res: ServerResponse, send: Send, error: z.ZodError): true {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
  send(res, 400, { error: issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; '), issues });
  return true;
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return { ok: false, status: 413, error: `request body over ${MAX_BODY / 2 ** 20} MiB: send fewer rows at a time` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, error: 'request body is not valid JSON' };
  }
}
