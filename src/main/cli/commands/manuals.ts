import { resolve } from 'node:path';
import { UsageError, type CliCommand } from '../command';
import { dataDirOf, parse } from '../options';
import { agentConfigOf, LLM_USAGE, llmOptions, openEngine } from '../agentOptions';
import { MAX_MANUAL_MB } from '../../manuals/sources';

export const manualsCommand: CliCommand = {
  name: 'manuals',
  usage: `motortwin manuals add PATH... | list | remove ID|NAME   [--data-dir DIR] [--json]
  add PATH...            import PDF, Markdown, HTML and text files, or whole folders; a changed file replaces its earlier import.
                         Up to ${MAX_MANUAL_MB} MB a file; binary content is refused; in a folder, a symbolic link is followed
                         only to a target inside that folder. Each file skipped is listed with its reason
  list                   the imported manuals
  remove ID|NAME         remove a manual and its passages
  --data-dir DIR         the database (default: the desktop app's data folder)
  --json                 print JSON
${LLM_USAGE}`,
  async run(args, io) {
    const { values: v, positionals } = parse(args, { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, ...llmOptions }, true);
    const [sub, ...rest] = positionals;
    if (sub !== 'add' && sub !== 'list' && sub !== 'remove') throw new UsageError('say add, list or remove');
    if (sub === 'add' && !rest.length) throw new UsageError('manuals add needs at least one file or folder');
    if (sub === 'remove' && rest.length !== 1) throw new UsageError('manuals remove needs one manual id or file name');
    const engine = await openEngine(dataDirOf(v), agentConfigOf(v));
    try {
      if (sub === 'list') {
        const list = engine.manuals.list();
        if (v.json) io.out(JSON.stringify(list, null, 2));
        else if (!list.length) io.out('no manuals imported');
        else for (const m of list) io.out(`${m.id}  ${m.name}  ${m.kind}, ${m.pages} pages, ${m.chunks} passages${m.origin === 'starter' ? ', starter' : ''}${m.subject ? `, about a ${m.subject}` : ''}${m.embedded ? ', with embeddings' : ''}`);
        return 0;
      }
      if (sub === 'remove') {
        const m = engine.manuals.list().find((x) => x.id === rest[0] || x.name === rest[0]);
        if (!m) {
          io.err(`no manual "${rest[0]}" (see motortwin manuals list)`);
          return 1;
        }
        await engine.manuals.remove(m.id);
        io.out(`removed ${m.name}`);
        return 0;
      }
      engine.manuals.on('progress', (p) => {
        if (!v.json && p.status === 'reading' && p.pagesTotal > 20) process.stderr.write(`\r${p.name}: page ${p.pagesDone}/${p.pagesTotal}`);
      });
      const results = await engine.manuals.importPaths(rest.map((p) => resolve(p)));
      if (v.json) io.out(JSON.stringify(results, null, 2));
      else for (const r of results) io.out(`${r.status.padEnd(9)} ${r.name}${r.pagesTotal ? ` (${r.pagesTotal} pages)` : ''}${r.message ? `: ${r.message}` : ''}`);
      return results.some((r) => r.status === 'failed') ? 1 : 0;
    } finally {
      await engine.close();
    }
  },
};
