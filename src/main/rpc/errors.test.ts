import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RpcError } from '../../shared/rpc/envelope';
import { DOMAIN_CODES, DomainError, type DomainCode } from '../platform/domainError';
import { CommandRefused } from '../commands/commandService';
import { AlarmError } from '../health/alarms';
import { ModbusFault } from '../modbus/faults';
import { wireError } from './errors';

describe('the one mapping of errors to the wire', () => {
  // What each code is for a WebSocket client (the contract's error code) and for an HTTP client.
  const expected: Record<DomainCode, [string, number]> = {
    not_found: ['not_found', 404],
    conflict: ['conflict', 409],
    invalid: ['invalid_params', 400],
    too_large: ['invalid_params', 413],
    forbidden: ['forbidden', 403],
    busy: ['busy', 409],
    refused: ['refused', 409],
    failed: ['failed', 502],
    unavailable: ['unavailable', 503],
  };

  it.each(DOMAIN_CODES.map((c) => [c]))('maps %s to its WebSocket code and HTTP status, with the message as written', (code) => {
    const [ws, status] = expected[code];
    expect(wireError(new DomainError(code, `why ${code}`))).toEqual({ code: ws, status, message: `why ${code}` });
  });

  it('covers every domain code (a new code needs its line above)', () => {
    expect(Object.keys(expected).sort()).toEqual([...DOMAIN_CODES].sort());
  });

  it('reads the parts\' own errors by their code, never by their text', () => {
    expect(wireError(new CommandRefused('no motor "m"', 'not_found'))).toMatchObject({ code: 'not_found', status: 404 });
    expect(wireError(new CommandRefused('no motor "m" (said by the limits)'))).toMatchObject({ code: 'refused', status: 409 });
    expect(wireError(new AlarmError('conflict', 'alarm a is already acknowledged'))).toMatchObject({ code: 'conflict', status: 409 });
    expect(wireError(new ModbusFault('timeout', 'unit 3 did not answer'))).toMatchObject({ code: 'failed', status: 502 });
  });

  it('answers a schema failure as invalid parameters, the channel\'s own codes as they are, and anything else as internal', () => {
    const zod = z.object({ n: z.number() }).safeParse({ n: 'x' });
    expect(wireError(zod.error)).toMatchObject({ code: 'invalid_params', status: 400, message: expect.stringContaining('n') });
    expect(wireError(new RpcError('unknown_method', 'unknown method "x"'))).toEqual({ code: 'unknown_method', status: 404, message: 'unknown method "x"' });
    expect(wireError(new RpcError('bad_request', 'not a call'))).toMatchObject({ code: 'bad_request', status: 400 });
    expect(wireError(new Error('disk I/O error'))).toEqual({ code: 'internal', status: 500, message: 'disk I/O error' });
    expect(wireError('a string thrown')).toEqual({ code: 'internal', status: 500, message: 'a string thrown' });
  });
});
