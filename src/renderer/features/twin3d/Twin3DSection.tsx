import { lazy, Suspense } from 'react';
import type { TwinSnapshot } from '../../../shared/twin';

// three.js and the scene load only when a motor page opens, so the fleet page stays light.
const Twin3DView = lazy(() => import('./Twin3DView'));

export function Twin3DSection({ twin }: { twin: TwinSnapshot }) {
  return (
    <Suspense fallback={<section className="panel twin3d-placeholder muted">Loading the 3D twin…</section>}>
      <Twin3DView twin={twin} />
    </Suspense>
  );
}
