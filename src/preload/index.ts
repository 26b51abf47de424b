/// <reference lib="dom" />
import { contextBridge, ipcRenderer } from 'electron';
import { exposeDesktopApi } from './desktopApi';

exposeDesktopApi({
  contextBridge,
  ipcRenderer,
  post: (message, ports) => window.postMessage(message, '*', [...ports]),
  platform: process.platform,
});
