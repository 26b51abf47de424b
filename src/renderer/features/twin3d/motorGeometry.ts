import * as THREE from 'three';
import type { BuiltinPart } from '../../../shared/twin3dContract';
import { overallLength, type MotorDims } from './motorDims';
import type { TwinModel } from './twinModel';

// The built-in induction motor, built from primitives: a finned frame (one extruded profile, so the heat
// overlay can paint it vertex by vertex), end shields with bearing housings, feet, a fan cover with a
// grille and the fan behind it, a terminal box, a lifting eye and a keyed shaft.

/** The built-in motor; its frame geometry carries the `color` attribute the heat overlay writes. */
export type BuiltMotor = TwinModel & { frame: NonNullable<TwinModel['frame']> };

/** Paint of an uncoloured motor: the blue-grey of many catalogue motors, readable on light and dark. */
export const PAINT = new THREE.Color('#5d7189');
const STEEL = new THREE.Color('#a9b1bb');
const DARK = new THREE.Color('#2c333b');

const FINS = 26;

/** The frame's cross-section: a core circle with radial cooling fins, none at the bottom between the feet. */
function frameProfile(d: MotorDims): THREE.Shape {
  const shape = new THREE.Shape();
  const r = d.coreRadius;
  const tip = r + d.finHeight;
  const half = (0.022 * d.shaftHeight) / r;
  const at = (radius: number, a: number): [number, number] => [radius * Math.sin(a), radius * Math.cos(a)];
  const pts: [number, number][] = [];
  for (let i = 0; i < FINS; i++) {
    const a = (i / FINS) * 2 * Math.PI;
    const fromBottom = Math.abs(a - Math.PI);
    const next = ((i + 1) / FINS) * 2 * Math.PI;
    if (fromBottom > 0.55) pts.push(at(r, a - half), at(tip, a - half * 0.7), at(tip, a + half * 0.7), at(r, a + half));
    else pts.push(at(r, a));
    for (let k = 1; k < 4; k++) pts.push(at(r, a + ((next - a) * k) / 4));
  }
  shape.moveTo(...pts[0]);
  for (const p of pts.slice(1)) shape.lineTo(...p);
  shape.closePath();
  return shape;
}

export function buildMotor(d: MotorDims): BuiltMotor {
  const geometries: THREE.BufferGeometry[] = [];
  const materials: THREE.Material[] = [];
  const parts = new Map<string, THREE.Mesh[]>();
  const body = new THREE.Group();
  body.name = 'motor';

  const material = (color: THREE.Color, opts: THREE.MeshStandardMaterialParameters = {}) => {
    const m = new THREE.MeshStandardMaterial({ color, metalness: 0.35, roughness: 0.55, ...opts });
    materials.push(m);
    return m;
  };
  /** A mesh of a part; `colourable` false: it picks as the part, but overlays leave it alone. */
  const mesh = (part: BuiltinPart | 'fan', geometry: THREE.BufferGeometry, mat: THREE.Material, parent: THREE.Object3D = body, colourable = true) => {
    geometries.push(geometry);
    const m = new THREE.Mesh(geometry, mat);
    m.name = part;
    m.userData.part = part;
    parent.add(m);
    if (colourable) parts.set(part, [...(parts.get(part) ?? []), m]);
    return m;
  };
  /** A cylinder along the x axis. */
  const cylinderX = (radius: number, length: number, segments = 48, open = false) => new THREE.CylinderGeometry(radius, radius, length, segments, 1, open).rotateZ(Math.PI / 2);

  const L = d.bodyLength;
  const r = d.coreRadius;
  const H = d.shaftHeight;
  const t = d.shieldThickness;

  // Frame: the profile extruded along the axis in 28 steps, so the heat field has room to vary.
  const frameGeometry = new THREE.ExtrudeGeometry(frameProfile(d), { depth: L, steps: 28, bevelEnabled: false, curveSegments: 4 });
  frameGeometry.rotateY(Math.PI / 2).translate(-L / 2, 0, 0);
  const count = frameGeometry.getAttribute('position').count;
  frameGeometry.setAttribute('color', new THREE.BufferAttribute(new Float32Array(count * 3).fill(1), 3).setUsage(THREE.DynamicDrawUsage));
  const frame = mesh('frame', frameGeometry, material(new THREE.Color(1, 1, 1), { vertexColors: true, roughness: 0.6 })) as BuiltMotor['frame'];

  // End shields; each carries its bearing housing (a boss at the drive end, a rim band at the fan end).
  // The drive-end shield picks as the bearing but keeps its steel: only the housing boss takes the zone colour.
  const de = mesh('bearing_de', cylinderX(r * 0.97, t), material(STEEL), body, false);
  de.position.x = L / 2 + t / 2;
  const deBoss = mesh('bearing_de', cylinderX(0.38 * H, 0.16 * H), material(STEEL));
  deBoss.position.x = L / 2 + t + 0.08 * H;
  const nde = mesh('bearing_nde', cylinderX(r * 0.97, t), material(STEEL));
  nde.position.x = -L / 2 - t / 2;

  // Fan cover (open at the end, closed by a grille) and the fan turning behind it.
  const fanStart = -L / 2 - t;
  const fc = d.fanCoverLength;
  const coverMaterial = material(PAINT, { side: THREE.DoubleSide });
  const cover = mesh('fan_cover', cylinderX(d.fanCoverRadius, fc, 48, true), coverMaterial);
  cover.position.x = fanStart - fc / 2;
  const grilleMaterial = material(DARK, { metalness: 0.2 });
  for (let k = 1; k <= 4; k++) {
    const ring = mesh('fan_cover', new THREE.TorusGeometry((d.fanCoverRadius * k) / 4.2, 0.012 * H, 6, 40).rotateY(Math.PI / 2), grilleMaterial);
    ring.position.x = fanStart - fc;
  }
  for (let k = 0; k < 6; k++) {
    const spoke = mesh('fan_cover', new THREE.BoxGeometry(0.015 * H, 2 * d.fanCoverRadius, 0.02 * H), grilleMaterial);
    spoke.position.x = fanStart - fc;
    spoke.rotation.x = (k / 6) * Math.PI;
  }
  const fan = new THREE.Group();
  fan.position.x = fanStart - fc * 0.55;
  body.add(fan);
  const fanMaterial = material(new THREE.Color('#c9ced4'));
  mesh('fan', cylinderX(0.2 * H, 0.1 * H), fanMaterial, fan);
  for (let k = 0; k < 8; k++) {
    const blade = new THREE.BoxGeometry(0.06 * H, 0.62 * H, 0.02 * H).translate(0, 0.42 * H, 0);
    const b = mesh('fan', blade, fanMaterial, fan);
    b.rotation.x = (k / 8) * 2 * Math.PI;
    b.rotation.y = 0.35;
  }

  // Shaft with its key; both turn.
  const shaft = new THREE.Group();
  const shaftStart = L / 2 + t + 0.16 * H;
  shaft.position.x = shaftStart + d.shaftLength / 2;
  body.add(shaft);
  mesh('shaft', cylinderX(d.shaftRadius, d.shaftLength, 32), material(STEEL, { metalness: 0.8, roughness: 0.3 }), shaft);
  const key = mesh('shaft', new THREE.BoxGeometry(d.shaftLength * 0.7, 0.06 * H, 0.07 * H), material(DARK), shaft);
  key.position.set(0.08 * d.shaftLength, d.shaftRadius + 0.02 * H, 0);

  // Feet with a pad under each end of the frame.
  const footMaterial = material(PAINT);
  for (const sx of [-1, 1])
    for (const sz of [-1, 1]) {
      const foot = mesh('feet', new THREE.BoxGeometry(0.5 * H, H - 0.55 * r, 0.32 * H), footMaterial);
      foot.position.set(sx * 0.32 * L, -H + (H - 0.55 * r) / 2, sz * 0.62 * r);
      const pad = mesh('feet', new THREE.BoxGeometry(0.62 * H, 0.06 * H, 0.42 * H), footMaterial);
      pad.position.set(sx * 0.32 * L, -H + 0.03 * H, sz * 0.68 * r);
    }

  // Terminal box on top, towards the drive end, with its cable gland.
  const tbMaterial = material(PAINT, { roughness: 0.5 });
  const tb = mesh('terminal_box', new THREE.BoxGeometry(0.6 * H, 0.36 * H, 0.52 * H), tbMaterial);
  tb.position.set(0.16 * L, r + d.finHeight + 0.14 * H, 0);
  const lid = mesh('terminal_box', new THREE.BoxGeometry(0.64 * H, 0.05 * H, 0.56 * H), tbMaterial);
  lid.position.set(0.16 * L, r + d.finHeight + 0.34 * H, 0);
  const gland = mesh('terminal_box', cylinderX(0.07 * H, 0.14 * H, 16), material(DARK));
  gland.rotation.y = Math.PI / 2;
  gland.position.set(0.16 * L, r + d.finHeight + 0.12 * H, 0.32 * H);

  // Lifting eye on top, towards the fan end.
  const eye = mesh('lifting_eye', new THREE.TorusGeometry(0.09 * H, 0.028 * H, 10, 24), material(STEEL));
  eye.position.set(-0.22 * L, r + d.finHeight + 0.13 * H, 0);
  const stem = mesh('lifting_eye', new THREE.CylinderGeometry(0.035 * H, 0.035 * H, 0.12 * H, 12), eye.material);
  stem.position.set(-0.22 * L, r + d.finHeight + 0.02 * H, 0);

  return {
    body,
    spinners: [shaft, fan],
    frame,
    parts,
    radius: overallLength(d) / 2,
    floorY: -H,
    dispose: () => {
      geometries.forEach((g) => g.dispose());
      materials.forEach((m) => m.dispose());
    },
  };
}

/** Where the board's sensors sit on the built-in motor unless the user moved them (model coordinates). */
export function defaultSites(d: MotorDims): Record<'temperature' | 'vib_velocity' | 'rpm' | 'current', { node: BuiltinPart; point: [number, number, number] }> {
  const tip = d.coreRadius + d.finHeight;
  const a = (55 * Math.PI) / 180; // on the side facing the default camera
  const H = d.shaftHeight;
  return {
    temperature: { node: 'frame', point: [-0.08 * d.bodyLength, tip * Math.cos(a), tip * Math.sin(a)] },
    vib_velocity: { node: 'bearing_de', point: [d.bodyLength / 2 + d.shieldThickness + 0.08 * H, 0.38 * H * Math.cos(a), 0.38 * H * Math.sin(a)] },
    rpm: { node: 'shaft', point: [d.bodyLength / 2 + d.shieldThickness + 0.16 * H + d.shaftLength * 0.9, d.shaftRadius, 0] },
    current: { node: 'terminal_box', point: [0.16 * d.bodyLength, d.coreRadius + d.finHeight + 0.32 * H, 0.26 * H] },
  };
}
