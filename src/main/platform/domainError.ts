// What a part says when it will not do what it was asked, in words for the person and a code for the
// software on the other end. The parts throw it; the API turns the code into the WebSocket's error code and
// the HTTP status in one place (src/main/rpc/errors.ts). Any other error is the engine's own failure.

export const DOMAIN_CODES = [
  /** No such motor, alarm, command, run, port, upload... */
  'not_found',
  /** The thing is not in a state that allows it (already acknowledged, a shipped procedure, a run finished). */
  'conflict',
  /** What was sent cannot be used (a rule id twice, an upload out of order, a profile with a bad field). */
  'invalid',
  /** More than is taken at once (a request body, an upload). */
  'too_large',
  /** The caller's role does not allow it. */
  'forbidden',
  /** Occupied with the same thing for someone already (a question about this motor is being answered). */
  'busy',
  /** The motor's limits, its command gate or a safety rule said no. */
  'refused',
  /** A device or a server the engine asked did not do it (a board, a Modbus drive, the plant server). */
  'failed',
  /** Something the engine needs is away for now (a store restarting); trying again later may work. */
  'unavailable',
] as const;
export type DomainCode = (typeof DOMAIN_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
