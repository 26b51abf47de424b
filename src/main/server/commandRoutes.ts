import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { COMMAND_STATUSES, commandRequestSchema } from '../../shared/commandsContract';
import type { Engine } from '../engine';
import type { Principal } from '../../shared/roles';
import { DomainError } from '../platform/domainError';
import { guardCall, type Refusal } from '../rpc/callGuard';
import { readJsonBody } from './requestBody';

// The closed loop's HTTP API for scripts and plant systems. It passes the same gate as the UI, the rules
// and the agent: a command created here waits for a person's approval unless the motor's limits let that
// action go without one. The server's access policy (host, origin, login, CSRF) has run before this; the
// caller's role is checked here as for the same call over the WebSocket, and a logged-in person is the one who
// approves, whatever an "operator" field says (that field names the person only on a server without logins).

const MAX_BODY = 16 * 1024;

const createBody = commandRequestSchema.omit({ deviceId: true, overrideReason: true }).extend({ issuer: z.string().trim().min(1).max(80).default('http api') });
const decisionBody = z.object({ operator: z.string().trim().min(1).max(80).optional(), comment: z.string().trim().max(500).default(''), value: z.number().finite().optional() });
const rejectBody = decisionBody.extend({ comment: z.string().trim().min(1, 'say why it is rejected').max(500) });

type Send = (res: ServerResponse, status: number, body: unknown) => void;

export interface Caller {
  principal: Principal;
  onRefused: (r: Refusal) => void;
}

/** Answers /api/commands and /api/twins/:id/commands; returns false for any other path. Refusals are thrown as DomainError. */
export async function commandRoutes(engine: Engine, caller: Caller, req: IncomingMessage, path: string, q: URLSearchParams, res: ServerResponse, send: Send): Promise<boolean> {
  const create = /^\/api\/twins\/([^/]+)\/commands$/.exec(path);
  const decide = /^\/api\/commands\/([^/]+)\/(approve|reject)$/.exec(path);
  if (!create && !decide && path !== '/api/commands') return false;
  if (path === '/api/commands') {
    if (req.method !== 'GET') return methodNotAllowed(res, send, 'GET');
    const status = z.enum(COMMAND_STATUSES).optional().safeParse(q.get('status') ?? undefined);
    if (!status.success) throw new DomainError('invalid', `status must be one of ${COMMAND_STATUSES.join(', ')}`);
    send(res, 200, await engine.commands.list({ status: status.data, deviceId: q.get('device') ?? undefined, limit: 500 }));
    return true;
  }
  if (req.method !== 'POST') return methodNotAllowed(res, send, 'POST');
  const { principal } = caller;
  if (create) {
    const deviceId = decodeURIComponent(create[1]);
    guardCall(engine, principal, 'commands.create', { deviceId }, caller.onRefused);
    const p = createBody.safeParse(await readJsonBody(req, MAX_BODY));
    if (!p.success) throw new DomainError('invalid', z.prettifyError(p.error));
    const { issuer, ...request } = p.data;
    // A script names itself; a person logged in is that person.
    const by = principal.kind === 'account' ? { kind: 'person' as const, name: principal.name } : { kind: 'api' as const, name: issuer };
    send(res, 201, engine.commands.create({ ...request, deviceId }, by, { autoApi: true }));
    return true;
  }
  const [, id, verb] = decide!;
  guardCall(engine, principal, verb === 'approve' ? 'commands.approve' : 'commands.reject', { id }, caller.onRefused);
  const p = (verb === 'approve' ? decisionBody : rejectBody).safeParse(await readJsonBody(req, MAX_BODY));
  if (!p.success) throw new DomainError('invalid', z.prettifyError(p.error));
  const by = principal.kind === 'local' ? (p.data.operator ?? 'operator') : principal.name;
  send(res, 200, verb === 'approve' ? engine.commands.approve(id, by, p.data.comment, p.data.value) : engine.commands.reject(id, by, p.data.comment));
  return true;
}

function methodNotAllowed(res: ServerResponse, send: Send, allowed: string): true {
  res.setHeader('allow', allowed);
  send(res, 405, { error: `use ${allowed}` });
  return true;
}
