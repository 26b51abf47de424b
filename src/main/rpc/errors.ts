import { z } from 'zod';
import { RpcError } from '../../shared/rpc/envelope';
import { DomainError, type DomainCode } from '../platform/domainError';

// The one place where an error becomes what a client reads: the WebSocket reply's error code and the HTTP
// status. The parts throw DomainError with a code; nothing here or in the routes reads an error's text.

export interface WireError {
  /** The contract's error code (the WebSocket reply's `error.code`). */
  code: string;
  message: string;
  /** The HTTP status the same error answers with. */
  status: number;
}

export const WIRE: Record<DomainCode, { code: string; status: number }> = {
  not_found: { code: 'not_found', status: 404 },
  conflict: { code: 'conflict', status: 409 },
  // `invalid_params` is the contract's word for it since its first client; kept so clients read it as before.
  invalid: { code: 'invalid_params', status: 400 },
  too_large: { code: 'invalid_params', status: 413 },
  forbidden: { code: 'forbidden', status: 403 },
  // One question at a time per motor: a state of that motor, not a server overloaded.
  busy: { code: 'busy', status: 409 },
  refused: { code: 'refused', status: 409 },
  // The device or server asked did not do it: the engine stands between, as a gateway does.
  failed: { code: 'failed', status: 502 },
  unavailable: { code: 'unavailable', status: 503 },
};

/** The channel's own answers about a call it could not read or place. */
const PROTOCOL: Record<string, number> = { bad_request: 400, unknown_method: 404, invalid_params: 400 };

export function wireError(e: unknown): WireError {
  if (e instanceof DomainError) return { ...WIRE[e.code], message: e.message };
  if (e instanceof z.ZodError) return { code: 'invalid_params', message: z.prettifyError(e), status: 400 };
  if (e instanceof RpcError) return { code: e.code, message: e.message, status: PROTOCOL[e.code] ?? 500 };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), status: 500 };
}
