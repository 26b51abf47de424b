import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The house rules on imports, checked over the real import graph of src/main (type-only imports count:
// a circle of types is still a knot). Layers, from the top: app/ and cli/ (entry points), then server/ and
// rpc/ (the API), then engine.ts (the one composition root), then the parts (every other folder), with
// platform/ (paths, version, the event bus) below them all.

const MAIN = resolve(__dirname);
const ENTRY = new Set(['app', 'cli']);
const API = new Set(['server', 'rpc']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** file -> the files under src/main it imports (static imports, re-exports and dynamic import() alike). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(MAIN)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((t): t is string => t !== null && t.startsWith(MAIN));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Tarjan's strongly connected components: every component of more than one file (or a self-import) is a cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The composition root, the config it is given and the running engine it builds: one layer. */
const ENGINE_FILES = new Set(['engine.ts', 'engineConfig.ts', 'runningEngine.ts']);

/** 'cli', 'engine', 'platform', or the part's folder. */
const layerOf = (file: string) => {
  const rel = relative(MAIN, file);
  return ENGINE_FILES.has(rel) ? 'engine' : rel.split('/')[0];
};

function violations(graph: Map<string, string[]>): string[] {
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    for (const t of targets) {
      const to = layerOf(t);
      if (to === from) continue;
      const why = ENTRY.has(to)
        ? `${to}/ is an entry point`
        : to === 'engine' && !ENTRY.has(from) && !API.has(from)
          ? 'a part never sees the composition root'
          : API.has(to) && !ENTRY.has(from) && !API.has(from)
            ? `${to}/ is above the parts`
            : from === 'platform'
              ? 'platform/ is below every part'
              : null;
      if (why) wrong.push(`${relative(MAIN, file)} -> ${relative(MAIN, t)} (${why})`);
    }
  }
  return wrong;
}

describe('imports in src/main', () => {
  const graph = importGraph();

  it('form no cycle', () => {
    expect(cycles(graph).map((c) => c.map((f) => relative(MAIN, f)))).toEqual([]);
  });

  it('go only downward: nothing imports the entry points, only they and the API import the composition root', () => {
    expect(violations(graph)).toEqual([]);
  });

  it('sees the graph it judges (the checks above are not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(join(MAIN, 'engine.ts'))).toContain(join(MAIN, 'health', 'healthService.ts'));
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    const at = (f: string) => join(MAIN, f);
    const upward = new Map([
      [at('agent/wireAgent.ts'), [at('engine.ts'), at('cli/paths.ts'), at('platform/paths.ts')]],
      [at('rpc/handlers.ts'), [at('engine.ts')]],
      [at('platform/eventBus.ts'), [at('health/alarms.ts')]],
    ]);
    expect(violations(upward)).toEqual([
      'agent/wireAgent.ts -> engine.ts (a part never sees the composition root)',
      'agent/wireAgent.ts -> cli/paths.ts (cli/ is an entry point)',
      'platform/eventBus.ts -> health/alarms.ts (platform/ is below every part)',
    ]);
  });
});
