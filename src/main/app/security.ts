import { app, session, shell, type WebContents } from 'electron';

// Electron's security checklist, applied once for every window the app creates.

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

export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

export function hardenApp(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedSender(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
