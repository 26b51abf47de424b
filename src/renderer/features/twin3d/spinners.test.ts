import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { mountSpinners, turningAxis, TURNING_BY_NAME } from './spinners';

const worldBox = (o: THREE.Object3D) => {
  o.updateWorldMatrix(true, true);
  return new THREE.Box3().setFromObject(o);
};

/** A motor as an exporter would write one: a frame, and a shaft along z away from the origin. */
function importedMotor() {
  const scene = new THREE.Group();
  const frame = new THREE.Mesh(new THREE.BoxGeometry(0.4, 0.4, 0.6));
  frame.name = 'Housing';
  const shaft = new THREE.Mesh(new THREE.CylinderGeometry(0.03, 0.03, 0.5, 48));
  shaft.name = 'Shaft_001';
  shaft.rotation.x = Math.PI / 2; // a cylinder stands on y; the exporter laid it along z
  shaft.position.set(0.1, 0.2, 0.35);
  const fan = new THREE.Mesh(new THREE.CylinderGeometry(0.18, 0.18, 0.02, 48));
  fan.name = 'CoolingFan';
  fan.rotation.x = Math.PI / 2;
  fan.position.set(0.1, 0.2, -0.32);
  const blade = new THREE.Mesh(new THREE.BoxGeometry(0.05, 0.15, 0.01));
  blade.name = 'fan_blade';
  fan.add(blade);
  scene.add(frame, shaft, fan);
  return { scene, frame, shaft, fan, blade };
}

describe('turning parts of an imported model', () => {
  it('finds the axis of a shaft (the long side) and of a fan (the thin side)', () => {
    expect(turningAxis(new THREE.Vector3(0.06, 0.06, 0.5)).toArray()).toEqual([0, 0, 1]);
    expect(turningAxis(new THREE.Vector3(0.36, 0.02, 0.36)).toArray()).toEqual([0, 1, 0]);
    expect(turningAxis(new THREE.Vector3(0.5, 0.061, 0.06)).toArray()).toEqual([1, 0, 0]);
  });

  it('turns the shaft and fan about their own axes, in place, and leaves the frame alone', () => {
    const m = importedMotor();
    const before = { shaft: worldBox(m.shaft), fan: worldBox(m.fan), frame: worldBox(m.frame) };
    const spinners = mountSpinners(m.scene, (o) => TURNING_BY_NAME.test(o.name));
    // The blade is inside the fan: it turns with it, not on its own.
    expect(spinners.map((s) => s.name).sort()).toEqual(['CoolingFan:turning', 'Shaft_001:turning']);
    for (const s of spinners) s.rotation.x = 1.1;
    const after = { shaft: worldBox(m.shaft), fan: worldBox(m.fan), frame: worldBox(m.frame) };
    for (const part of ['shaft', 'fan'] as const) {
      expect(after[part].getCenter(new THREE.Vector3()).distanceTo(before[part].getCenter(new THREE.Vector3()))).toBeLessThan(1e-3);
      // Turning about the part's own axis keeps its extent along that axis (the model's z).
      const size = (b: THREE.Box3) => b.getSize(new THREE.Vector3());
      expect(size(after[part]).z).toBeCloseTo(size(before[part]).z, 3);
    }
    expect(after.frame.equals(before.frame)).toBe(true);
    // And it really turns: a point off the axis moves.
    const tip = new THREE.Vector3(0.15, 0, 0);
    m.scene.updateMatrixWorld(true);
    const moved = m.blade.localToWorld(tip.clone());
    for (const s of spinners) s.rotation.x = 0;
    m.scene.updateMatrixWorld(true);
    expect(m.blade.localToWorld(tip.clone()).distanceTo(moved)).toBeGreaterThan(0.05);
  });

  it('turns only the nodes the user chose', () => {
    const m = importedMotor();
    const spinners = mountSpinners(m.scene, (o) => o.name === 'Housing');
    expect(spinners).toHaveLength(1);
    expect(m.shaft.parent).toBe(m.scene);
  });
});
