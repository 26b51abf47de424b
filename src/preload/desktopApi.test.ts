import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_PORT_CHANNEL, exposeDesktopApi, OPEN_REPORT_CHANNEL, SAVE_EXPORT_CHANNEL } from './desktopApi';

// Electron's checklist: the preload exposes only the typed API. What crosses the context bridge is recorded here.
function preload() {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, (event: { ports: readonly MessagePort[] }) => void>();
  const invoke = vi.fn(async (channel: string, ...args: unknown[]) => (channel === SAVE_EXPORT_CHANNEL ? `/home/me/${String(args[0])}` : channel === OPEN_REPORT_CHANNEL ? '' : undefined));
  const posted: Array<[string, readonly unknown[]]> = [];
  exposeDesktopApi({
    contextBridge: { exposeInMainWorld: (key, api) => exposed.set(key, api) },
    ipcRenderer: { on: (channel, l) => listeners.set(channel, l), invoke },
    post: (m, ports) => posted.push([m, ports]),
    platform: 'linux',
  });
  return { exposed, listeners, invoke, posted };
}

describe('preload', () => {
  it('exposes one object, motortwin, holding only desktop, platform, saveExport and openReport', () => {
    const { exposed } = preload();
    expect([...exposed.keys()]).toEqual(['motortwin']);
    const api = exposed.get('motortwin') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['desktop', 'openReport', 'platform', 'saveExport']);
    expect(api.desktop).toBe(true);
    expect(api.platform).toBe('linux');
    const functions = Object.entries(api).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    expect(functions.sort()).toEqual(['openReport', 'saveExport']);
  });

  it('openReport reaches only its own channel with a string', async () => {
    const { exposed, invoke } = preload();
    const api = exposed.get('motortwin') as { openReport(f: unknown): Promise<string | null> };
    await expect(api.openReport('run-1.pdf')).resolves.toBeNull();
    await api.openReport({ channel: 'motortwin:other' });
    expect(invoke.mock.calls.map((c) => c[0])).toEqual([OPEN_REPORT_CHANNEL, OPEN_REPORT_CHANNEL]);
    expect(invoke.mock.calls[1][1]).toBe('[object Object]');
  });

  it('saveExport reaches only its own channel with a string, and no other channel can be named from the page', async () => {
    const { exposed, invoke } = preload();
    const api = exposed.get('motortwin') as { saveExport(f: unknown): Promise<string | null> };
    await expect(api.saveExport('history.csv')).resolves.toBe('/home/me/history.csv');
    await api.saveExport({ channel: 'motortwin:other' });
    expect(invoke.mock.calls.map((c) => c[0])).toEqual([SAVE_EXPORT_CHANNEL, SAVE_EXPORT_CHANNEL]);
    expect(invoke.mock.calls[1][1]).toBe('[object Object]');
  });

  it('listens on the engine port channel only and hands the port to the page', () => {
    const { listeners, posted } = preload();
    expect([...listeners.keys()]).toEqual([ENGINE_PORT_CHANNEL]);
    const port = {} as MessagePort;
    listeners.get(ENGINE_PORT_CHANNEL)!({ ports: [port] });
    expect(posted).toEqual([[ENGINE_PORT_CHANNEL, [port]]]);
  });

  it('the preload entry wires Electron to this API and nothing else', () => {
    const entry = readFileSync(join(import.meta.dirname, 'index.ts'), 'utf8');
    expect([...entry.matchAll(/from '([^']+)'/g)].map((m) => m[1])).toEqual(['electron', './desktopApi']);
    expect(entry).not.toMatch(/exposeInMainWorld/);
  });
});
