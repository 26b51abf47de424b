import { useRef } from 'react';
import { READINGS, type ReadingName } from '../../../shared/readings';
import type { ModelSetup } from './useModelSetup';
import { PLACEABLE } from './sites';

/** Importing the user's own glTF/GLB model, going back to the built-in one, and placing sensors by clicking. */
/** What a click on the model does: place a reading's sensor, or mark a part as turning with the shaft. */
export type Placing = ReadingName | 'turning' | null;

export function ModelControls({ setup, placing, onPlace }: { setup: ModelSetup; placing: Placing; onPlace(r: Placing): void }) {
  const file = useRef<HTMLInputElement>(null);
  return (
    <div className="inline-form twin3d-model" data-testid="model-controls">
      <label className="small">
        Place sensors:{' '}
        <select value={placing === 'turning' ? '' : (placing ?? '')} onChange={(e) => onPlace((e.target.value || null) as ReadingName | null)} data-testid="place-sensor">
          <option value="">choose a reading, then click the model</option>
          {PLACEABLE.map((r) => (
            <option key={r} value={r}>
              {READINGS[r].label}
              {setup.sites[r] ? ` (on ${setup.sites[r].node})` : ''}
            </option>
          ))}
        </select>
      </label>
      <button onClick={() => file.current?.click()} disabled={setup.busy} data-testid="import-model">
        {setup.busy ? 'Loading…' : 'Import glTF/GLB model…'}
      </button>
      <input
        ref={file}
        type="file"
        accept=".glb,.gltf,model/gltf-binary,model/gltf+json"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) setup.importFile(f);
          e.target.value = '';
        }}
        data-testid="import-model-file"
      />
      {setup.turning && (
        <span className="small" data-testid="turning-parts">
          Turns with the shaft: {setup.turning.length ? setup.turning.join(', ') : 'nothing'}{' '}
          <button className="ghost" onClick={() => onPlace(placing === 'turning' ? null : 'turning')} data-testid="choose-turning">
            {placing === 'turning' ? 'Done' : 'Choose…'}
          </button>
        </span>
      )}
      {setup.customName && (
        <button className="ghost" onClick={setup.removeModel} data-testid="remove-model">
          Use the built-in model
        </button>
      )}
    </div>
  );
}
