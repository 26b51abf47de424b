import { useState } from 'react';
import { IMPORT_CHUNK_BYTES, type ImportProgress, type ImportReport } from '../../../shared/importContract';
import type { ReadingName } from '../../../shared/readings';
import { upsert } from '../../engine/liveQuery';
import { useEngineCall, useLiveQuery } from '../../engine/useEngineQuery';

/** One trend export on its way in: uploaded in chunks, its columns mapped, then imported and replayed. */
export interface HistoryImportState {
  phase: 'idle' | 'uploading' | 'mapping' | ImportProgress['phase'];
  name: string;
  /** Of the whole job: the upload is the first half, the replay the second. */
  fraction: number;
  message: string | null;
  columns: string[];
  timeColumn: string;
  map: Record<string, ReadingName>;
  report: ImportReport | null;
}

const IDLE: HistoryImportState = { phase: 'idle', name: '', fraction: 0, message: null, columns: [], timeColumn: '', map: {}, report: null };

export function useHistoryImport(deviceId: string) {
  const call = useEngineCall();
  const [local, setState] = useState<HistoryImportState>(IDLE);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const patch = (p: Partial<HistoryImportState>) => setState((s) => ({ ...s, ...p }));
  // Followed from the upload on, so progress sent before history.import has answered with its id is kept.
  const { data: progress } = useLiveQuery<ImportProgress[]>(uploadId ? `historyImport ${uploadId}` : null, {
    load: async () => [],
    on: { historyImport: (list, p) => upsert(list, p, (x) => x.importId, 20) },
  });
  const p = importId ? progress?.find((x) => x.importId === importId) : undefined;
  const state: HistoryImportState = p ? { ...local, phase: p.phase, fraction: p.phase === 'done' ? 1 : p.total ? 0.5 + (0.5 * p.done) / p.total : 0.5, message: p.message, report: p.report } : local;

  /** Uploads the file a chunk at a time (a large export is never read whole), then asks for its columns. */
  const upload = async (f: File) => {
    const id = `hist_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    setUploadId(id);
    setImportId(null);
    setState({ ...IDLE, phase: 'uploading', name: f.name });
    try {
      if (!f.size) throw new Error('the file is empty');
      for (let offset = 0; offset < f.size; offset += IMPORT_CHUNK_BYTES) {
        const part = new Uint8Array(await f.slice(offset, offset + IMPORT_CHUNK_BYTES).arrayBuffer());
        await call('history.importUpload', { uploadId: id, name: f.name, offset, total: f.size, data: toBase64(part) });
        patch({ fraction: (0.5 * Math.min(f.size, offset + part.length)) / f.size });
      }
      const cols = await call('history.importColumns', { uploadId: id });
      patch({ phase: 'mapping', fraction: 0.5, columns: cols.columns, timeColumn: cols.timeColumn, map: cols.map });
    } catch (e) {
      patch({ phase: 'failed', message: (e as Error).message });
    }
  };

  const start = async (o: { timezone: string; baselineHours: number }) => {
    if (!uploadId) return;
    patch({ phase: 'reading', message: null });
    try {
      const r = await call('history.import', { uploadId, deviceId, timeColumn: state.timeColumn, map: state.map, ...o });
      setImportId(r.importId);
    } catch (e) {
      patch({ phase: 'failed', message: (e as Error).message });
    }
  };

  const reset = () => {
    setState(IDLE);
    setImportId(null);
  };

  return { state, upload, start, setMapping: (p: Pick<HistoryImportState, 'timeColumn' | 'map'>) => patch(p), reset };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
