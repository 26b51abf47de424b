import { useEffect, useState } from 'react';
import { mapPut } from '../../engine/liveQuery';
import { useEngineCall, useLiveQuery, type EngineCall } from '../../engine/useEngineQuery';
import { MANUAL_CHUNK_BYTES, type ManualImport } from '../../../shared/agentContract';

const SUPPORTED = /\.(pdf|md|markdown|html?|txt|text)$/i;

/** One file on its way in: uploading (bytes), then the engine's import status (pages). */
export interface ImportRow extends ManualImport {
  uploaded: number;
  size: number;
}

/** Uploads files in chunks and follows each one's import through the engine's `manualImport` events. */
export function useManualImport(onDone: () => void) {
  const call = useEngineCall();
  const [uploads, setRows] = useState<ImportRow[]>([]);
  // The engine's word on each import, by id, from its events (the ids are made here, before the upload).
  const { data: statuses } = useLiveQuery<ReadonlyMap<string, ManualImport>>('manualImport', {
    load: async () => new Map(),
    on: { manualImport: (m, p) => mapPut(m, p.importId, p) },
  });
  const rows = uploads.map((r) => ({ ...r, ...statuses?.get(r.importId) }));
  const finished = [...(statuses?.values() ?? [])].filter((p) => p.status === 'done' || p.status === 'unchanged' || p.status === 'failed').length;
  useEffect(() => {
    if (finished) onDone();
  }, [finished, onDone]);

  const importFiles = async (files: File[]) => {
    const wanted = files.filter((f) => SUPPORTED.test(f.name));
    const fresh: ImportRow[] = wanted.map((f) => ({
      importId: `up_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`,
      name: f.name,
      status: 'queued',
      pagesDone: 0,
      pagesTotal: 0,
      message: null,
      manualId: null,
      uploaded: 0,
      size: f.size,
    }));
    setRows((rs) => [...fresh, ...rs].slice(0, 200));
    for (const [i, f] of wanted.entries()) {
      const id = fresh[i].importId;
      try {
        await upload(call, id, f, (n) => setRows((rs) => rs.map((r) => (r.importId === id ? { ...r, uploaded: n } : r))));
      } catch (e) {
        setRows((rs) => rs.map((r) => (r.importId === id ? { ...r, status: 'failed', message: (e as Error).message } : r)));
      }
    }
  };
  return { rows, importFiles, skipped: (files: File[]) => files.filter((f) => !SUPPORTED.test(f.name)).map((f) => f.name) };
}

async function upload(call: EngineCall, uploadId: string, f: File, onProgress: (bytes: number) => void): Promise<void> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  if (!bytes.length) throw new Error('the file is empty');
  for (let offset = 0; offset < bytes.length; offset += MANUAL_CHUNK_BYTES) {
    const part = bytes.subarray(offset, offset + MANUAL_CHUNK_BYTES);
    await call('manuals.upload', { uploadId, name: f.name, offset, total: bytes.length, data: toBase64(part) });
    onProgress(Math.min(bytes.length, offset + part.length));
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Every file below the dropped items, folders included (the browser's entry API). */
export async function filesFromDrop(items: DataTransferItemList): Promise<File[]> {
  const entries = [...items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => Boolean(e));
  const out: File[] = [];
  const walk = async (e: FileSystemEntry): Promise<void> => {
    if (e.isFile) out.push(await new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej)));
    else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}
