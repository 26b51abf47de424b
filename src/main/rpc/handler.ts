import type { z } from 'zod';
import type { MethodName, Methods, ResultOf } from '../../shared/contract';
import type { Engine } from '../engine';

// The one shape of an RPC handler: it gets the parameters as the method's schema parsed them (defaults
// applied, so no handler repeats them) and translates the call onto the engine's parts. It throws the parts'
// DomainError as they come; src/main/rpc/errors.ts says what each code is on the wire.

/** A method's parameters after its schema parsed them. */
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;

export type Handler<M extends MethodName> = (engine: Engine, params: ParsedParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;

export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };
