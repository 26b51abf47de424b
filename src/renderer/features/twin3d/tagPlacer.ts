import * as THREE from 'three';
import type { ReadingName } from '../../../shared/readings';
import type { Sites } from './sites';

/**
 * Moves each tag over its sensor: projects the sensor's point to the canvas and writes the element's
 * transform, only when it moved by a pixel or more (a still camera costs no style writes).
 */
export class TagPlacer {
  private readonly v = new THREE.Vector3();
  private readonly last = new Map<HTMLElement, string>();

  place(els: ReadonlyMap<ReadingName, HTMLElement>, sites: Sites, toWorld: THREE.Matrix4, camera: THREE.Camera, width: number, height: number): void {
    for (const [reading, el] of els) {
      const p = sites[reading]?.point;
      if (!p) continue;
      const v = this.v.set(p[0], p[1], p[2]).applyMatrix4(toWorld).project(camera);
      const x = Math.round(((v.x + 1) / 2) * width);
      const y = Math.round(((1 - v.y) / 2) * height);
      const visible = v.z < 1 && x >= 0 && y >= 0 && x <= width && y <= height;
      const key = visible ? `${x},${y}` : 'hidden';
      if (this.last.get(el) === key) continue;
      this.last.set(el, key);
      el.style.visibility = visible ? 'visible' : 'hidden';
      if (visible) el.style.transform = `translate(${x}px, ${y}px)`;
      // The browser tests read where a sensor is from these.
      el.dataset.x = String(x);
      el.dataset.y = String(y);
    }
  }
}
