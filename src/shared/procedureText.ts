import { procedureSchema, type Procedure } from './benchtestProcedure';

// Checking a procedure's JSON text, shared by the engine (files, the CLI) and the UI's editor, so both point
// at the same line and column when the text is not JSON or does not match the schema.

type Path = Array<string | number>;

/** Line and column (1-based) of every value in a JSON text, by its path: for pointing at schema errors. */
export function jsonPositions(text: string): Map<string, { line: number; column: number }> {
  const out = new Map<string, { line: number; column: number }>();
  let i = 0;
  const pos = (at: number) => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const str = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: Path): void => {
    ws();
    out.set(path.join('.'), pos(i));
    if (text[i] === '{') {
      i++;
      ws();
      while (text[i] !== '}' && i < text.length) {
        ws();
        const key = str();
        ws();
        i++; // ':'
        value([...path, key]);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (text[i] === '[') {
      i++;
      ws();
      for (let n = 0; text[i] !== ']' && i < text.length; n++) {
        value([...path, n]);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (text[i] === '"') str();
    else while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
  };
  value([]);
  return out;
}

/** Parses and checks a procedure's JSON text; `where` names the file (or editor) in the message. */
export function checkProcedureText(text: string, where: string): { ok: true; procedure: Procedure } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /position (\d+)/.exec(msg);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : null;
    return { ok: false, message: `${where}${line ? `:${line}` : ''}: not valid JSON (${msg})` };
  }
  const r = procedureSchema.safeParse(raw);
  if (r.success) return { ok: true, procedure: r.data };
  const positions = jsonPositions(text);
  const lines = r.error.issues.map((issue) => {
    // The deepest path that exists in the text: a missing key points at its parent object.
    let p = issue.path.map((x) => (typeof x === 'symbol' ? String(x) : x));
    while (p.length && !positions.has(p.join('.'))) p = p.slice(0, -1);
    const at = positions.get(p.join('.'));
    return `${where}${at ? `:${at.line}:${at.column}` : ''}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`;
  });
  return { ok: false, message: `the procedure does not match the schema:\n${lines.join('\n')}` };
}
