import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cspProblems, handleTrusted, hardenApp, SECURE_WEB_PREFERENCES, setTrustedPage, type IpcEventLike, type WebContentsLike } from './security';

// Electron's security checklist, item by item, on the objects and functions main.ts hands to Electron. Electron's
// binary is not on the build machines: its app, session, shell and webContents are faked at the seam.

const PAGE = 'file:///opt/MotorTwin/resources/app.asar/out/renderer/index.html';
const here = (p: string) => join(import.meta.dirname, p);

function fakeElectron() {
  const app = new EventEmitter() as EventEmitter & { whenReady(): Promise<void> };
  app.whenReady = () => Promise.resolve();
  const handlers: { request?: (wc: unknown, p: string, cb: (g: boolean) => void) => void; check?: (wc: unknown, p: string) => boolean; device?: (d: unknown) => boolean } = {};
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h: typeof handlers.request) => (handlers.request = h),
      setPermissionCheckHandler: (h: typeof handlers.check) => (handlers.check = h),
      setDevicePermissionHandler: (h: typeof handlers.device) => (handlers.device = h),
    },
  };
  const opened: string[] = [];
  const shell = { openExternal: async (url: string) => void opened.push(url) };
  hardenApp({ app, session, shell } as never);
  const window = () => {
    const contents = new EventEmitter() as EventEmitter & WebContentsLike & { openHandler?: (d: { url: string }) => { action: string } };
    contents.setWindowOpenHandler = (h) => (contents.openHandler = h);
    app.emit('web-contents-created', {}, contents);
    const navigate = (event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url?: string) => {
      const e = { preventDefault: vi.fn() };
      contents.emit(event, e, url);
      return e.preventDefault.mock.calls.length > 0;
    };
    return { contents, navigate };
  };
  return { handlers, opened, window };
}

describe('Electron security checklist', () => {
  setTrustedPage(PAGE);

  it('isolates the page context (contextIsolation on)', () => {
    expect(SECURE_WEB_PREFERENCES.contextIsolation).toBe(true);
  });

  it('sandboxes the renderer', () => {
    expect(SECURE_WEB_PREFERENCES.sandbox).toBe(true);
  });

  it('gives the page, its workers and its frames no Node integration, and keeps web security on', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
  });

  it('main.ts creates its window with exactly these preferences plus the preload (nothing overrides them)', () => {
    const main = readFileSync(here('main.ts'), 'utf8');
    const prefs = [...main.matchAll(/webPreferences:\s*\{([^}]*)\}/g)].map((m) => m[1].trim());
    expect(prefs).toEqual(["...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/index.cjs')"]);
  });

  it('has a strict Content-Security-Policy on the page, and tells a weak one from it', () => {
    const html = readFileSync(here('../../renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(csp).toBeDefined();
    expect(cspProblems(csp!)).toEqual([]);
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'none'")).toContain("script-src allows 'unsafe-inline'");
    expect(cspProblems("default-src 'self'; script-src 'self' https://cdn.example.com; object-src 'none'; base-uri 'none'; form-action 'none'")).toContain('script-src allows remote https://cdn.example.com');
    expect(cspProblems("default-src *; object-src 'none'; base-uri 'none'; form-action 'none'")).toContain('default-src allows remote *');
    expect(cspProblems("script-src 'self'")).toEqual(expect.arrayContaining(['no default-src', "object-src must be 'none'"]));
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'none'")).toContain("script-src allows 'unsafe-eval'");
  });

  it('blocks navigation and redirects away from the app page, and webviews', () => {
    const { navigate } = fakeElectron().window();
    expect(navigate('will-navigate', 'https://evil.example.com/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'https://evil.example.com/')).toBe(true);
    expect(navigate('will-attach-webview')).toBe(true);
    expect(navigate('will-navigate', `${PAGE}#/motors/motor_01`)).toBe(false);
  });

  it('opens no new window; shell.openExternal only gets vetted http(s) links', async () => {
    const { window, opened } = fakeElectron();
    const { contents } = window();
    const tried = ['https://www.iso.org/standard/78311.html', 'http://192.0.2.10/manual.pdf', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'ms-msdt:/id', 'https://user:pw@example.com/', 'not a url'];
    for (const url of tried) expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(opened).toEqual(['https://www.iso.org/standard/78311.html', 'http://192.0.2.10/manual.pdf']);
  });

  it('denies every permission request and check by default', async () => {
    const { handlers } = fakeElectron();
    await new Promise((r) => setTimeout(r, 0));
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'serial', 'hid']) {
      const granted = await new Promise<boolean>((resolve) => handlers.request!(null, permission, resolve));
      expect(granted, permission).toBe(false);
      expect(handlers.check!(null, permission), permission).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'serial' })).toBe(false);
  });

  it('checks the sender of every IPC message: only the app page reaches a handler', async () => {
    const registered = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    const handler = vi.fn(() => 'saved');
    handleTrusted({ handle: (channel, listener) => registered.set(channel, listener) }, 'motortwin:save-export', handler);
    const invoke = (event: IpcEventLike) => Promise.resolve().then(() => registered.get('motortwin:save-export')!(event, 'history.csv'));
    await expect(invoke({ senderFrame: { url: 'https://evil.example.com/' } })).rejects.toThrow(/refused motortwin:save-export/);
    await expect(invoke({ senderFrame: null })).rejects.toThrow(/refused/);
    await expect(invoke({})).rejects.toThrow(/refused/);
    expect(handler).not.toHaveBeenCalled();
    await expect(invoke({ senderFrame: { url: PAGE } })).resolves.toBe('saved');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('registers no IPC handler in the main process except through the sender check', () => {
    const main = readFileSync(here('main.ts'), 'utf8');
    expect(main).not.toMatch(/ipcMain\.(handle|handleOnce|on|once|addListener)\(/);
    expect(main.match(/handleTrusted\(ipcMain,/g)?.length).toBeGreaterThan(0);
  });
});
