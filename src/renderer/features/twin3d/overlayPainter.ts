import * as THREE from 'three';
import type { ReadingName } from '../../../shared/readings';
import type { Nameplate } from '../../../shared/twin';
import type { SensorSite } from '../../../shared/twin3dContract';
import { heatScale, plausibleTemperature, scaleFraction, srgbToLinear, turbo, type HeatScale } from './colormap';
import { PAINT } from './motorGeometry';
import { ThermalField, ASSUMED_AMBIENT_C } from './thermalField';
import type { TwinModel } from './twinModel';
import { NO_DATA_COLOR, SHAKE_SHOWN_HZ, ZONE_COLORS, shakeAmplitude, shownAngularSpeed, zoneFor } from './vibration';

/** What the overlays show, live or replayed; written by React, read every frame. */
export interface OverlayInputs {
  /** Bumped on every change, so colours are recomputed only when something changed. */
  version: number;
  values: Partial<Record<ReadingName, number | null>>;
  /** Nodes to pulse: red for an active alarm, amber for a diagnosed fault. */
  alarmNodes: ReadonlySet<string>;
  faultNodes: ReadonlySet<string>;
  heat: boolean;
  vibration: boolean;
  alarmAbove: number | null;
  nameplate: Pick<Nameplate, 'isoGroup' | 'foundation' | 'ratedKw'>;
}

const RED = new THREE.Color('#ff2a2a');
const AMBER = new THREE.Color('#ffa500');

/**
 * Applies the overlays to a model: the heat field (or per-node tint), ISO zone colours, shake, turning
 * shaft and alarm pulse. Colours are recomputed when the inputs' version changes; the per-frame work
 * writes into existing objects only.
 */
export class OverlayPainter {
  private field: ThermalField | null = null;
  private readonly available = [false];
  private readonly reading = [null as number | null];
  private readonly base = new Map<THREE.MeshStandardMaterial, THREE.Color>();
  private readonly rgb = new Float32Array(3);
  private painted = -1;
  private angle = 0;
  private shaken = false;
  private readonly scratch = new THREE.Color();
  /** Materials glowing now and in the frame being built; swapped each frame, never reallocated. */
  private pulsing = new Set<THREE.MeshStandardMaterial>();
  private glowing = new Set<THREE.MeshStandardMaterial>();
  scale: HeatScale = heatScale(null);

  constructor(
    private readonly model: TwinModel,
    private readonly sites: Partial<Record<ReadingName, SensorSite>>,
  ) {
    // The model's own colours, kept on the material: a painter made after another (new sites) must not
    // take the previous one's tints for them.
    for (const meshes of model.parts.values())
      for (const m of meshes) {
        if (!(m.material instanceof THREE.MeshStandardMaterial)) continue;
        const data = m.material.userData as { baseColor?: THREE.Color };
        data.baseColor ??= m.material.color.clone();
        this.base.set(m.material, data.baseColor);
      }
    const site = sites.temperature;
    if (model.frame && site?.node === model.frame.name && site.point) {
      const g = model.frame.geometry;
      g.computeBoundingBox();
      const b = g.boundingBox!;
      this.field = new ThermalField(g.getAttribute('position').array, { xMin: b.min.x, xMax: b.max.x, radius: b.max.y }, [site.point]);
    }
  }

  /** Recolours when the inputs changed; call every frame. */
  paint(inp: OverlayInputs): void {
    if (inp.version === this.painted) return;
    this.painted = inp.version;
    this.scale = heatScale(inp.alarmAbove);
    for (const [mat, color] of this.base) mat.color.copy(color);
    const temperature = inp.values.temperature;
    const t = temperature === null || temperature === undefined || !Number.isFinite(temperature) ? null : plausibleTemperature(temperature).value;
    this.paintFrame(inp.heat, t, inp.values.ambient ?? null);
    const tempNode = this.sites.temperature?.node;
    if (inp.heat && tempNode && tempNode !== this.model.frame?.name) this.tint(tempNode, t === null ? null : this.heatColor(t));
    const vibNode = this.sites.vib_velocity?.node;
    if (inp.vibration && vibNode) {
      const zone = zoneFor(inp.values.vib_velocity, inp.nameplate);
      this.tint(vibNode, this.scratch.set(zone ? ZONE_COLORS[zone.zone] : NO_DATA_COLOR));
    }
  }

  private heatColor(t: number): THREE.Color {
    turbo(scaleFraction(t, this.scale), this.rgb);
    return this.scratch.setRGB(srgbToLinear(this.rgb[0]), srgbToLinear(this.rgb[1]), srgbToLinear(this.rgb[2]));
  }

  private paintFrame(heat: boolean, t: number | null, ambient: number | null): void {
    const frame = this.model.frame;
    if (!frame) return;
    const attr = frame.geometry.getAttribute('color') as THREE.BufferAttribute;
    const colors = attr.array as Float32Array;
    if (heat && this.field) {
      this.reading[0] = t;
      this.field.paint(this.reading, ambient ?? ASSUMED_AMBIENT_C, this.scale, colors, this.available);
    } else if (heat) {
      // No temperature sensor on the frame: nothing to draw from.
      this.fill(colors, 0.55, 0.57, 0.6);
    } else {
      this.fill(colors, PAINT.r, PAINT.g, PAINT.b);
    }
    attr.needsUpdate = true;
  }

  private fill(colors: Float32Array, r: number, g: number, b: number): void {
    for (let i = 0; i < colors.length; i += 3) {
      colors[i] = r;
      colors[i + 1] = g;
      colors[i + 2] = b;
    }
  }

  private tint(node: string, color: THREE.Color | null): void {
    for (const m of this.model.parts.get(node) ?? []) {
      const mat = m.material as THREE.MeshStandardMaterial;
      if (mat === this.model.frame?.material) continue;
      mat.color.set(color ?? NO_DATA_COLOR);
    }
  }

  /** Motion: shaft and fan turning, shake, pulse. `time` in seconds. */
  tick(inp: OverlayInputs, dt: number, time: number): void {
    this.angle = (this.angle + shownAngularSpeed(inp.values.rpm) * dt) % (2 * Math.PI);
    for (const s of this.model.spinners) s.rotation.x = this.angle;
    const amp = inp.vibration ? shakeAmplitude(inp.values.vib_velocity) : 0;
    if (amp > 0 || this.shaken) {
      const w = 2 * Math.PI * SHAKE_SHOWN_HZ * time;
      this.model.body.position.set(0, amp * Math.sin(w), amp * 0.6 * Math.sin(w * 1.3 + 1));
      this.shaken = amp > 0;
    }
    const glow = 0.35 + 0.35 * Math.sin(2 * Math.PI * 1.2 * time);
    const now = this.glowing;
    now.clear();
    this.pulseNodes(inp.faultNodes, AMBER, glow, now);
    this.pulseNodes(inp.alarmNodes, RED, glow, now);
    for (const mat of this.pulsing) if (!now.has(mat)) mat.emissive.setRGB(0, 0, 0);
    this.glowing = this.pulsing;
    this.pulsing = now;
  }

  private pulseNodes(nodes: ReadonlySet<string>, color: THREE.Color, glow: number, into: Set<THREE.MeshStandardMaterial>): void {
    for (const node of nodes)
      for (const m of this.model.parts.get(node) ?? []) {
        const mat = m.material as THREE.MeshStandardMaterial;
        mat.emissive.copy(color).multiplyScalar(glow);
        into.add(mat);
      }
  }

  dispose(): void {
    for (const mat of this.pulsing) mat.emissive.setRGB(0, 0, 0);
  }
}
