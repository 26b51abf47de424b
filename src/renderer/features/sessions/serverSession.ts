import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import type { MethodName } from '../../../shared/contract';
import { LOCAL_USER, principalSchema, refusalFor, type Principal } from '../../../shared/roles';

// The browser's session with a `serve` that asks for a login. These are HTTP, not the engine contract: a
// session belongs to the server's front door, not to the engine behind it. The desktop app has none.

const sessionInfoSchema = z.object({
  id: z.string(),
  user: z.string().optional(),
  role: z.string().optional(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  expiresAt: z.number(),
  address: z.string(),
  userAgent: z.string(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

const currentSchema = z.object({
  required: z.boolean(),
  accounts: z.boolean().optional(),
  via: z.string(),
  /** Who this page acts as (an older server does not say: then the local user). */
  user: principalSchema.optional(),
  csrf: z.string().nullable(),
  session: sessionInfoSchema.nullable().optional(),
});
export type CurrentSession = z.infer<typeof currentSchema>;

// One question per page load: every component that asks who is logged in shares the answer.
let asked: Promise<CurrentSession | null> | null = null;
function currentSession(): Promise<CurrentSession | null> {
  // Without a session endpoint (an older server) there is nothing to show.
  asked ??= getJson('/api/session', currentSchema).catch(() => null);
  return asked;
}

/** Who this page acts as: the logged-in person, the API token, or (desktop app, open server) the local user. */
export function useWho(): Principal {
  const [who, setWho] = useState<Principal>(LOCAL_USER);
  useEffect(() => {
    if (!served()) return;
    void currentSession().then((s) => setWho(s?.user ?? LOCAL_USER));
  }, []);
  return who;
}

/** Whether this page's user may call a method, and if not why ("approving a command needs the approver role; you are viewer"). */
export function usePermission(method: MethodName): { allowed: boolean; reason: string | undefined } {
  const reason = refusalFor(useWho(), method) ?? undefined;
  return { allowed: reason === undefined, reason };
}

const served = () => typeof window !== 'undefined' && window.location.protocol.startsWith('http');

async function getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  const r = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const body = (await r.json()) as unknown;
  if (!r.ok) throw new Error((body as { error?: string })?.error ?? `${path}: HTTP ${r.status}`);
  return schema.parse(body);
}

/** This page's session, or null where there is none to show (desktop app, or a server without a token). */
export function useServerSession(): CurrentSession | null {
  const [session, setSession] = useState<CurrentSession | null>(null);
  useEffect(() => {
    if (!served()) return;
    void currentSession().then((s) => setSession(s?.required ? s : null));
  }, []);
  return session;
}

/** Every open session of this server, with a way to end one. */
export function useSessionList(csrf: string | null) {
  const [sessions, setSessions] = useState<SessionInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    getJson('/api/sessions', z.array(sessionInfoSchema))
      .then((s) => {
        setSessions(s);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(reload, [reload]);
  const revoke = useCallback(
    async (id: string) => {
      const r = await fetch(`/api/sessions/${encodeURIComponent(id)}/revoke`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...(csrf ? { 'x-motortwin-csrf': csrf } : {}) },
        body: '{}',
      });
      if (!r.ok) setError(((await r.json()) as { error?: string }).error ?? `HTTP ${r.status}`);
      reload();
    },
    [csrf, reload],
  );
  return { sessions, error, revoke, reload };
}

/** Ends this browser's session, then shows the login form. (The page's CSP allows no form posts: a fetch.) */
export async function logOut(): Promise<void> {
  await fetch('/logout', { method: 'POST', credentials: 'same-origin', redirect: 'manual' });
  window.location.assign('/login');
}
