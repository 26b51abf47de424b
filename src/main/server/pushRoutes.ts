import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { benchRunsPushSchema, certificatesPushSchema, PLANT_PUSH_PATHS, telemetryPushSchema } from '../../shared/plantContract';
import { HistoryUnavailable, type PushStore } from '../plant/pushStore';
import { readJsonBody } from './requestBody';

// Where laptops push what they recorded on the bench: POST /api/push/bench-runs, /certificates and
// /telemetry. Each body is checked whole (the first bad field is named with its path) and answers what it
// stored and what was already there, so a laptop may re-send after any failure. The server's access
// policy (host, origin, credential, JSON body) has run before this.

type Send = (res: ServerResponse, status: number, body: unknown) => void;

// A bench run carries its readings (a 30-minute run at 1 Hz is ~2,000 rows); telemetry goes in batches.
const MAX_BODY = 16 * 1024 * 1024;

/** Answers /api/push/*; false for any other path. Refusals are thrown as DomainError. */
export async function pushRoutes(store: PushStore, req: IncomingMessage, path: string, res: ServerResponse, send: Send): Promise<boolean> {
  const kind = (Object.keys(PLANT_PUSH_PATHS) as Array<keyof typeof PLANT_PUSH_PATHS>).find((k) => PLANT_PUSH_PATHS[k] === path);
  if (!kind) return false;
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    send(res, 405, { error: 'use POST' });
    return true;
  }
  const body = await readJsonBody(req, MAX_BODY, 'send fewer rows at a time');
  if (kind === 'benchRuns') {
    const p = benchRunsPushSchema.safeParse(body);
    if (!p.success) return refuse(res, send, p.error);
    send(res, 200, await store.benchRuns(p.data.runs));
  } else if (kind === 'certificates') {
    const p = certificatesPushSchema.safeParse(body);
    if (!p.success) return refuse(res, send, p.error);
    send(res, 200, await store.certificates(p.data.certificates));
  } else {
    const p = telemetryPushSchema.safeParse(body);
    if (!p.success) return refuse(res, send, p.error);
    const receipt = await store.telemetry(p.data.deviceId, p.data.rows).catch((e: unknown) => {
      // The history is away for now (answered 503): the laptop is told when to try again.
      if (e instanceof HistoryUnavailable) res.setHeader('retry-after', '30');
      throw e;
    });
    send(res, 200, receipt);
  }
  return true;
}

/** Every field at fault (the first ten) with its path, so a laptop's push says which record is wrong. */
function refuse(res: ServerResponse, send: Send, error: z.ZodError): true {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
  send(res, 400, { error: issues.map((i) => `${i.path || 'body'}: ${i.message}`).join('; '), issues });
  return true;
}
