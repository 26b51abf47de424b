import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, Notification, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { copyFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { handleTrusted, hardenApp, SECURE_WEB_PREFERENCES, setTrustedPage } from './security';
import { openReport } from './openReport';
import { loadApiKey, saveApiKey } from './apiKeyStore';
import { answerPrintRequest } from './printReport';
import { openAppLog } from '../platform/logFile';

// The desktop shell: windows, the engine's utility process, and the few OS services the renderer asks for.

const here = fileURLToPath(new URL('.', import.meta.url));
// MOTORTWIN_DATA_DIR moves the history for the desktop app as it does for the CLI.
const dataDir = process.env.MOTORTWIN_DATA_DIR ? resolve(process.env.MOTORTWIN_DATA_DIR) : app.getPath('userData');
let engine: UtilityProcess | null = null;
let quitting = false;
// One log file for the app and its engine, in the OS's place for an app's logs (rotated at 10 MB, 5 kept).
const appLog = openAppLog(app.getPath('logs'));
const log = appLog.log;

hardenApp({ app, session, shell });

function startEngine(): UtilityProcess {
  const proc = utilityProcess.fork(join(here, 'engine.js'), [], { serviceName: 'MotorTwin engine', stdio: 'pipe' });
  // The engine's log lines (JSON on its stdio) go to the same file, and to the terminal too while developing.
  const echo = app.isPackaged ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  for (const out of [proc.stdout, proc.stderr]) if (out) void appLog.follow(out, echo);
  proc.postMessage({ type: 'start', dataDir, mqttPort: Number(process.env.MOTORTWIN_MQTT_PORT ?? 1883), llmKey: loadApiKey() });
  // The engine asks to keep a new key (or forget it); only this process can reach the keychain.
  proc.on('message', (m: { type?: string; key?: unknown }) => {
    if (m?.type === 'llmKey' && (typeof m.key === 'string' || m.key === null)) saveApiKey(m.key);
  });
  proc.on('message', (m: { type?: string; message?: string; title?: string; body?: string }) => {
    if (m?.type === 'failed') {
      log.error({ reason: m.message }, 'the engine could not start');
      dialog.showErrorBox('MotorTwin could not start its engine', m.message ?? 'unknown error');
    }
    // A new critical alarm: an OS notification, so it is seen with the window in the background.
    if (m?.type === 'notify' && Notification.isSupported()) new Notification({ title: String(m.title ?? 'MotorTwin alarm'), body: String(m.body ?? '') }).show();
  });
  // Report PDFs: printToPDF exists only here, so the engine asks for them.
  proc.on('message', (m: unknown) => {
    void answerPrintRequest(m, { reportsDir: join(dataDir, 'reports'), BrowserWindow, webPreferences: SECURE_WEB_PREFERENCES }).then((reply) => reply && proc.postMessage(reply));
  });
  proc.on('exit', (code) => {
    if (code === 0 || quitting) return;
    log.error({ code }, 'the engine stopped');
    dialog.showErrorBox('MotorTwin engine stopped', `The engine exited with code ${code}. Restart MotorTwin.`);
  });
  return proc;
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: 'MotorTwin',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(here, '../preload/index.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  // Each window gets its own port to the engine once its page has loaded.
  win.webContents.on('did-finish-load', () => {
    const { port1, port2 } = new MessageChannelMain();
    engine?.postMessage({ type: 'connect' }, [port1]);
    win.webContents.postMessage('motortwin:engine-port', null, [port2]);
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl && !app.isPackaged) {
    setTrustedPage(devUrl);
    await win.loadURL(devUrl);
  } else {
    const page = join(here, '../renderer/index.html');
    setTrustedPage(`file://${page.split(sep).join('/').replace(/^([^/])/, '/$1')}`);
    await win.loadFile(page);
  }
}

const exportName = z.string().min(1).max(255);

handleTrusted(ipcMain, 'motortwin:save-export', async (event, file: unknown) => {
  const name = exportName.parse(basename(String(file)));
  const source = resolve(dataDir, 'exports', name);
  if (!source.startsWith(resolve(dataDir, 'exports') + sep)) throw new Error('refused: not an export');
  const win = BrowserWindow.fromWebContents((event as Electron.IpcMainInvokeEvent).sender);
  const choice = await dialog.showSaveDialog(win!, { defaultPath: name });
  if (choice.canceled || !choice.filePath) return null;
  await copyFile(source, choice.filePath);
  return choice.filePath;
});

handleTrusted(ipcMain, 'motortwin:open-report', (_event, file: unknown) => openReport(join(dataDir, 'reports'), file, (path) => shell.openPath(path)));

app.whenReady().then(async () => {
  log.info({ version: app.getVersion(), dataDir }, 'MotorTwin starting');
  engine = startEngine();
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('before-quit', () => {
  quitting = true;
  engine?.kill();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
