/// <reference lib="dom" />
import { contextBridge, ipcRenderer } from 'electron';

// The renderer's only window on the desktop: the engine's MessagePort (handed over once per page load)
// and one OS service. No generic invoke, no Node.

ipcRenderer.on('motortwin:engine-port', (event) => {
  window.postMessage('motortwin:engine-port', '*', event.ports);
});

contextBridge.exposeInMainWorld('motortwin', {
  desktop: true,
  platform: process.platform,
  saveExport: (file: string): Promise<string | null> => ipcRenderer.invoke('motortwin:save-export', String(file)),
});
