// What the desktop preload exposes (see src/preload/index.ts); absent in a browser against `serve`.
export interface DesktopBridge {
  desktop: true;
  platform: string;
  saveExport(file: string): Promise<string | null>;
  openReport(file: string): Promise<string | null>;
}

export function desktopBridge(): DesktopBridge | null {
  const bridge = (window as unknown as { motortwin?: DesktopBridge }).motortwin;
  return bridge?.desktop ? bridge : null;
}
