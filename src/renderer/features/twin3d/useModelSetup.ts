import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReadingName } from '../../../shared/readings';
import { MODEL_CHUNK_BYTES, MODEL_MAX_BYTES, type SensorSite, type Twin3dMapping } from '../../../shared/twin3dContract';
import { useEngineCall, useEngineQuery, type EngineCall } from '../../engine/useEngineQuery';
import { explainGltfError, parseGltf, turningNodes, type TwinModel } from './twinModel';
import type { Sites } from './sites';

export interface ModelSetup {
  /** The imported model, when the motor has one and it loaded; otherwise the built-in one is shown. */
  custom: TwinModel | null;
  customName: string | null;
  /** The user's sites (over the built-in defaults when the built-in model is shown). */
  sites: Sites;
  message: { kind: 'info' | 'error'; text: string } | null;
  busy: boolean;
  /** Nodes of the imported model that turn with the shaft; null: those named like a shaft, rotor or fan. */
  turning: string[] | null;
  setSite(reading: ReadingName, site: SensorSite): void;
  /** Adds the node to the turning parts, or takes it out. */
  toggleTurning(node: string): void;
  importFile(file: File): void;
  removeModel(): void;
}

const toBase64 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

async function downloadModel(call: EngineCall, id: string, total: number): Promise<ArrayBuffer> {
  const out = new Uint8Array(total);
  for (let offset = 0; offset < total; offset += MODEL_CHUNK_BYTES) out.set(fromBase64((await call('twin3d.readModel', { id, offset })).data), offset);
  return out.buffer;
}

/** The motor's 3D setup from the engine: its sensor mapping and, if imported, its own glTF/GLB model. */
export function useModelSetup(id: string): ModelSetup {
  const call = useEngineCall();
  const setup = useEngineQuery('twin3d.get', { id });
  // The mapping as saved here since, else as the engine has it.
  const [edited, setMapping] = useState<Twin3dMapping | null>(null);
  const mapping = edited ?? setup.data?.mapping ?? null;
  const [custom, setCustom] = useState<{ model: TwinModel; name: string; bytes: ArrayBuffer } | null>(null);
  const [note, setMessage] = useState<ModelSetup['message']>(null);
  const message = note ?? (setup.error ? { kind: 'error' as const, text: `3D setup unavailable: ${setup.error}` } : null);
  const [busy, setBusy] = useState(false);

  // The motor's own model, when it has one, is fetched once the setup says so.
  const loaded = setup.data;
  useEffect(() => {
    if (!loaded?.model || loaded.mapping?.model !== 'custom') return;
    let live = true;
    const { name, bytes: size } = loaded.model;
    const turning = loaded.mapping.turning;
    (async () => {
      try {
        const bytes = await downloadModel(call, id, size);
        const model = await parseGltf(bytes.slice(0), turning);
        if (live) setCustom({ model, name, bytes });
        else model.dispose();
      } catch (e) {
        if (live) setMessage({ kind: 'error', text: `${explainGltfError(name, e)}. Showing the built-in model.` });
      }
    })();
    return () => {
      live = false;
    };
  }, [loaded, call, id]);

  useEffect(() => () => custom?.model.dispose(), [custom]);

  const kind = custom ? 'custom' : 'builtin';
  const current: Twin3dMapping = useMemo(() => (mapping?.model === kind ? mapping : { model: kind, sites: {}, turning: null }), [mapping, kind]);
  const saveMapping = useCallback(
    (next: Twin3dMapping) => {
      setMapping(next);
      call('twin3d.setMapping', { id, mapping: next }).catch((e: Error) => setMessage({ kind: 'error', text: `Mapping not saved: ${e.message}` }));
    },
    [call, id],
  );
  const setSite = useCallback((reading: ReadingName, site: SensorSite) => saveMapping({ ...current, sites: { ...current.sites, [reading]: site } }), [current, saveMapping]);

  const toggleTurning = useCallback(
    (node: string) => {
      if (!custom) return;
      const was = current.turning ?? turningNodes(custom.model);
      const turning = was.includes(node) ? was.filter((n) => n !== node) : [...was, node];
      saveMapping({ ...current, turning });
      // The parts hang differently when they turn: rebuild the model from the same file.
      parseGltf(custom.bytes.slice(0), turning)
        .then((model) => setCustom({ ...custom, model }))
        .catch((e: Error) => setMessage({ kind: 'error', text: explainGltfError(custom.name, e) }));
    },
    [custom, current, saveMapping],
  );

  const importFile = useCallback(
    (file: File) => {
      setBusy(true);
      setMessage(null);
      (async () => {
        if (file.size > MODEL_MAX_BYTES) throw new Error(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is ${MODEL_MAX_BYTES / 1e6} MB`);
        const bytes = new Uint8Array(await file.arrayBuffer());
        let model: TwinModel;
        try {
          model = await parseGltf(bytes.slice().buffer, null);
        } catch (e) {
          throw new Error(explainGltfError(file.name, e));
        }
        for (let offset = 0; offset < bytes.length; offset += MODEL_CHUNK_BYTES)
          await call('twin3d.putModel', { id, name: file.name, offset, total: bytes.length, data: toBase64(bytes.subarray(offset, offset + MODEL_CHUNK_BYTES)) });
        setMapping((await call('twin3d.get', { id })).mapping);
        setCustom({ model, name: file.name, bytes: bytes.slice().buffer });
        setMessage({ kind: 'info', text: `${file.name} loaded. Choose a reading under “Place sensors” and click where its sensor sits.` });
      })()
        .catch((e: Error) => setMessage({ kind: 'error', text: `${e.message}. Keeping the ${custom ? 'current' : 'built-in'} model.` }))
        .finally(() => setBusy(false));
    },
    [call, id, custom],
  );

  const removeModel = useCallback(() => {
    call('twin3d.removeModel', { id })
      .then((s) => {
        setMapping(s.mapping);
        setCustom(null);
        setMessage({ kind: 'info', text: 'Back to the built-in model.' });
      })
      .catch((e: Error) => setMessage({ kind: 'error', text: e.message }));
  }, [call, id]);

  return {
    custom: custom?.model ?? null,
    customName: custom?.name ?? null,
    sites: current.sites,
    turning: custom ? (current.turning ?? turningNodes(custom.model)) : null,
    message,
    busy,
    setSite,
    toggleTurning,
    importFile,
    removeModel,
  };
}
