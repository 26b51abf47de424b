// What the preload gives the page, built from the Electron objects it is handed so a test can check exactly
// what crosses the bridge: the engine's MessagePort (handed over once per page load) and two OS services.
// No generic invoke, no ipcRenderer, no Node.

export const ENGINE_PORT_CHANNEL = 'motortwin:engine-port';
export const SAVE_EXPORT_CHANNEL = 'motortwin:save-export';
export const OPEN_REPORT_CHANNEL = 'motortwin:open-report';

export interface DesktopApi {
  readonly desktop: true;
  readonly platform: string;
  saveExport(file: string): Promise<string | null>;
  /** Opens a bench report the engine wrote in the system's viewer; resolves to why not, or null. */
  openReport(file: string): Promise<string | null>;
}

export interface PreloadParts {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    on(channel: string, listener: (event: { ports: readonly MessagePort[] }) => void): unknown;
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  };
  /** Where the port is posted: the page's own window. */
  post(message: string, ports: readonly MessagePort[]): void;
  platform: string;
}

export function exposeDesktopApi({ contextBridge, ipcRenderer, post, platform }: PreloadParts): void {
  ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => post(ENGINE_PORT_CHANNEL, event.ports));
  const api: DesktopApi = {
    desktop: true,
    platform,
    saveExport: async (file) => {
      const saved = await ipcRenderer.invoke(SAVE_EXPORT_CHANNEL, String(file));
      return typeof saved === 'string' ? saved : null;
    },
    openReport: async (file) => {
      const problem = await ipcRenderer.invoke(OPEN_REPORT_CHANNEL, String(file));
      return typeof problem === 'string' && problem ? problem : null;
    },
  };
  contextBridge.exposeInMainWorld('motortwin', api);
}
