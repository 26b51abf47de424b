// Electron's security checklist, applied once for every window the app creates. Plain TypeScript with the few
// Electron objects it needs passed in, so each item is tested on this very code without Electron's binary.

/** The parts of Electron's modules the hardening uses (main.ts passes the real ones). */
export interface WebContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}
export interface SessionLike {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}
export interface ElectronParts {
  app: { on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown; whenReady(): Promise<unknown> };
  session: { readonly defaultSession: SessionLike };
  shell: { openExternal(url: string): Promise<void> };
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
}
export interface IpcEventLike {
  senderFrame?: { url: string } | null;
}

/** The one page the app's windows may show; set once the renderer's address is known. */
let trustedPageUrl = '';

export function setTrustedPage(url: string): void {
  trustedPageUrl = url;
}

export function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl || !trustedPageUrl) return false;
  return stripHash(frameUrl) === stripHash(trustedPageUrl);
}

const stripHash = (u: string) => u.split('#')[0];

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/** A link the OS browser may open: http(s) to a named host, no credentials in it, nothing else (file:, smb:, javascript:…). */
export function isSafeExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL at all: not one to open.
    return false;
  }
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && u.username === '' && u.password === '';
}

export function hardenApp({ app, session, shell }: ElectronParts): void {
  app.on('web-contents-created', (_event, contents) => {
    // New windows never open in the app; a vetted link goes to the OS browser.
    contents.setWindowOpenHandler(({ url }) => {
      // No browser for it: the link does not open, and nothing else depends on it.
      if (isSafeExternalUrl(url)) void shell.openExternal(url).catch(() => undefined);
      return { action: 'deny' };
    });
    const stayOnPage = (event: { preventDefault(): void }, url: string) => {
      if (!isTrustedSender(url)) event.preventDefault();
    };
    contents.on('will-navigate', stayOnPage);
    contents.on('will-redirect', stayOnPage);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(() => {
    // No camera, microphone, geolocation, notifications from the page, HID, USB or serial: the engine talks to boards.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.setDevicePermissionHandler(() => false);
  });
}

/** Every IPC channel goes through here: a message from any frame but the app's own page is refused. */
export function handleTrusted(ipcMain: IpcMainLike, channel: string, handler: (event: IpcEventLike, ...args: unknown[]) => unknown): void {
  ipcMain.handle(channel, (event, ...args) => {
    if (!isTrustedSender(event.senderFrame?.url)) throw new Error(`refused ${channel}: not the MotorTwin window`);
    return handler(event, ...args);
  });
}

/** What is wrong with a Content-Security-Policy for this app (empty when it is strict enough). */
export function cspProblems(policy: string): string[] {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  const problems: string[] = [];
  const effective = (name: string) => directives.get(name) ?? directives.get('default-src');
  const remote = (v: string) => /^(https?:|wss?:|\*|[\w-]+\.[\w.-]+)/i.test(v) || v === 'http:' || v === 'https:';
  if (!directives.has('default-src')) problems.push('no default-src');
  for (const name of ['default-src', 'script-src', 'object-src', 'base-uri', 'frame-src', 'connect-src', 'style-src', 'img-src', 'worker-src', 'form-action']) {
    const values = effective(name);
    if (!values) {
      if (name === 'base-uri' || name === 'form-action') problems.push(`${name} missing (it does not fall back to default-src)`);
      continue;
    }
    for (const v of values) {
      if (/^'unsafe-(inline|eval|hashes)'$|^'wasm-unsafe-eval'$/i.test(v) && name !== 'style-src') problems.push(`${name} allows ${v}`);
      if (/^'unsafe-(inline|eval)'$/i.test(v) && name === 'style-src') problems.push(`${name} allows ${v}`);
      if (remote(v)) problems.push(`${name} allows remote ${v}`);
      if (/^data:$/i.test(v) && (name === 'script-src' || name === 'default-src' || name === 'object-src')) problems.push(`${name} allows data:`);
    }
  }
  const script = effective('script-src') ?? [];
  if (!script.every((v) => v === "'self'" || v === "'none'")) problems.push(`script-src must be 'self' only, got ${script.join(' ')}`);
  if ((effective('object-src') ?? []).join(' ') !== "'none'") problems.push("object-src must be 'none'");
  return [...new Set(problems)];
}
