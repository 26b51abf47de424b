import { afterAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { runCli, startServe } from '../support/cli';
import { stopProcess, tempDir, waitFor } from '../support/tools';

const TOKEN = 'a-token-of-twenty-characters';

// The log of `serve` as a log collector reads it: with --log-format json every line on stderr is one JSON
// object with its level, time, message and the part that wrote it, while the banner stays plain on stdout.
describe('serve --log-format json', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopProcess(c, 'SIGKILL');
  });

  it('writes one parseable object a line, with level, time, msg and part', async () => {
    const serve = await startServe(['--data-dir', tempDir(), '--no-sim', '--log-format', 'json', '--api-token', TOKEN]);
    children.push(serve.child);
    expect(serve.output()).toMatch(/^MotorTwin \S+ is running: http/m);
    // A wrong token: the server's front door says so in the same log, as the part `security`.
    const refused = await fetch(`${serve.url}/api/twins`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(refused.status).toBe(401);
    await waitFor('the refusal in the log', () => serve.stderr().includes('"part":"security"'));
    const exited = new Promise((r) => serve.child.once('exit', r));
    serve.child.kill('SIGINT');
    await exited;
    const lines = serve.stderr().split('\n').filter(Boolean);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const o of parsed) {
      expect(o).toMatchObject({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String), part: expect.any(String) });
    }
    expect(parsed.map((o) => `${o.part}: ${o.msg}`)).toEqual(expect.arrayContaining(['engine: started', 'engine: stopped']));
    expect(parsed).toContainEqual(expect.objectContaining({ level: 40, part: 'security', event: 'login_failed', address: expect.any(String) }));
    expect(serve.stderr()).not.toContain(TOKEN);
  });

  it('reads as text by default: time, level, [part], message', async () => {
    const serve = await startServe(['--data-dir', tempDir(), '--no-sim']);
    children.push(serve.child);
    const exited = new Promise((r) => serve.child.once('exit', r));
    serve.child.kill('SIGINT');
    await exited;
    expect(serve.stderr()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  \[engine\] started dataDir=\S+ brokers=1 store=duckdb$/m);
    expect(serve.stderr()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  \[engine\] stopped$/m);
  });

  it('refuses a format or level it does not know', async () => {
    const format = await runCli(['serve', '--log-format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--log-format must be one of text, json/);
    const level = await runCli(['serve', '--log-level', 'loud']);
    expect(level.code).toBe(2);
    expect(level.stderr).toMatch(/--log-level must be one of trace, debug/);
  });
});
