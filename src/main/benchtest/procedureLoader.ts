import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Procedure } from '../../shared/benchtestProcedure';
import { checkProcedureText } from '../../shared/procedureText';
import { DomainError } from '../platform/domainError';

// Procedures are readable JSON files (YAML would need a parser package this project does not carry).
// A file that is not JSON, or does not match the schema, is refused with the line and column at fault
// (src/shared/procedureText.ts, which the UI's editor uses too).

export class ProcedureError extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

/** Parses and checks a procedure's JSON text; `where` names the file in messages. */
export function parseProcedure(text: string, where: string): Procedure {
  const r = checkProcedureText(text, where);
  if (!r.ok) throw new ProcedureError(r.message);
  return r.procedure;
}

export function loadProcedureFile(file: string): Procedure {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProcedureError(`cannot read the procedure ${file}: ${(e as Error).message}`);
  }
  return parseProcedure(text, file);
}

/** The procedures shipped in resources/procedures/. */
export function builtInProcedures(dir: string): Procedure[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadProcedureFile(join(dir, f)));
}
