import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { startCli, startServe } from '../support/cli';
import { startMosquitto, stopProcess, tempDir, waitFor, type Mosquitto } from '../support/tools';

// With board accounts (--mqtt-devices) the embedded broker requires a login. The built-in simulator must
// still get in (an internal account of its own), and SIGTERM must end `serve` at once so that the next
// start on the same data folder is not refused as "in use".
describe('serve with --mqtt-devices and the simulator', () => {
  const children: ChildProcess[] = [];
  let mosquitto: Mosquitto | null = null;
  afterEach(async () => {
    for (const c of children.splice(0)) await stopProcess(c, 'SIGKILL');
    await mosquitto?.stop();
    mosquitto = null;
  });

  const sigterm = async (child: ChildProcess) => {
    const t0 = Date.now();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    return { code, seconds: (Date.now() - t0) / 1000 };
  };

  const storedFor = async (url: string, id: string) => {
    const twins = (await (await fetch(`${url}/api/twins`)).json()) as Array<{ id: string; counts: { stored: number }; connection: string }>;
    return twins.find((t) => t.id === id);
  };

  it('stores motor_01, stops within seconds of SIGTERM, and starts again on the same data folder', async () => {
    const dataDir = tempDir();
    const devices = join(dataDir, 'devices.json');
    writeFileSync(devices, JSON.stringify({ board_7: 'board-7-password' }));
    const args = ['--data-dir', dataDir, '--mqtt-devices', devices];

    const first = await startServe(args);
    children.push(first.child);
    await waitFor('motor_01 telemetry stored', async () => ((await storedFor(first.url, 'motor_01'))?.counts.stored ?? 0) >= 3, 20_000);

    const { code, seconds } = await sigterm(first.child);
    console.log(`serve stopped ${seconds.toFixed(2)} s after SIGTERM (exit code ${code})`);
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(5);

    const second = await startServe(args);
    children.push(second.child);
    await waitFor('motor_01 stored again after the restart', async () => ((await storedFor(second.url, 'motor_01'))?.counts.stored ?? 0) >= 1, 20_000);
  }, 90_000);

  // The engine's login is refused by an external broker, so its simulator cannot get in either: the twin
  // says why, and a stop still does not wait for a connection that never comes.
  it('a simulator that cannot log in says so on its twin, and SIGTERM still ends serve at once', async () => {
    mosquitto = await startMosquitto({ accounts: { motortwin: 'right-password-123' } });
    const s = await startCli(
      ['serve', '--port', '0', '--data-dir', tempDir(), '--mqtt', `mqtt://127.0.0.1:${mosquitto.port}`, '--mqtt-username', 'motortwin', '--mqtt-password', 'wrong-password-456'],
      /is running: (http\S+)[\s\S]*publish/,
    );
    children.push(s.child);
    const url = /is running: (http\S+)/.exec(s.output())![1];
    const twin = await waitFor('motor_01 saying why it is not connected', async () => {
      const t = (await (await fetch(`${url}/api/twins`)).json()) as Array<{ id: string; status_reasons: Array<{ text: string }> }>;
      return t.find((x) => x.id === 'motor_01' && x.status_reasons.some((r) => /cannot connect/.test(r.text)));
    });
    expect(twin.status_reasons[0].text).toMatch(/simulator cannot connect to the broker: .*(Not authorized|Bad username or password)/i);
    expect(s.output()).toMatch(/simulated motor motor_01 cannot connect to mqtt:\/\/127\.0\.0\.1/);

    const { code, seconds } = await sigterm(s.child);
    console.log(`serve (simulator locked out) stopped ${seconds.toFixed(2)} s after SIGTERM (exit code ${code})`);
    expect(code).toBe(0);
    expect(seconds).toBeLessThan(5);
  }, 60_000);
});
