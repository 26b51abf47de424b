import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { buildMotor, defaultSites, PAINT } from './motorGeometry';
import { motorDims } from './motorDims';
import { OverlayPainter, type OverlayInputs } from './overlayPainter';
import { ZONE_COLORS } from './vibration';

const inputs = (over: Partial<OverlayInputs>): OverlayInputs => ({
  version: 1,
  values: { temperature: 80, ambient: 25, vib_velocity: 5, rpm: 1480 },
  alarmNodes: new Set(),
  faultNodes: new Set(),
  heat: true,
  vibration: true,
  alarmAbove: 80,
  nameplate: { isoGroup: 2, foundation: 'rigid', ratedKw: 7.5 },
  ...over,
});

describe('OverlayPainter on the built-in motor', () => {
  const dims = motorDims(7.5);
  const setup = () => {
    const motor = buildMotor(dims);
    return { motor, painter: new OverlayPainter(motor, defaultSites(dims)), colors: () => motor.frame.geometry.getAttribute('color').array as Float32Array };
  };

  it('paints a varying heat field on the frame and the zone colour on the sensed bearing', () => {
    const { motor, painter, colors } = setup();
    painter.paint(inputs({}));
    const c = colors();
    expect(new Set(Array.from(c.subarray(0, 3000), (x) => x.toFixed(3))).size).toBeGreaterThan(10);
    const boss = motor.parts.get('bearing_de')![0].material as THREE.MeshStandardMaterial;
    expect(boss.color.getHexString()).toBe(new THREE.Color(ZONE_COLORS.D).getHexString());
  });

  it('draws the paint colour with the heat overlay off, and grey with no temperature', () => {
    const { painter, colors } = setup();
    painter.paint(inputs({ heat: false }));
    expect(colors()[0]).toBeCloseTo(PAINT.r);
    painter.paint(inputs({ version: 2, values: { vib_velocity: 1 } }));
    const c = colors();
    expect(c[0]).toBeCloseTo(c[1], 1);
    expect(c[1]).toBeCloseTo(c[2], 1);
  });

  it('pulses alarmed parts and stops when the alarm clears; shakes only with vibration', () => {
    const { motor, painter } = setup();
    const frameMat = motor.frame.material;
    painter.tick(inputs({ alarmNodes: new Set(['frame']) }), 0.016, 0.2);
    expect(frameMat.emissive.r).toBeGreaterThan(0);
    expect(motor.body.position.length()).toBeGreaterThan(0);
    painter.tick(inputs({ vibration: false }), 0.016, 0.3);
    expect(frameMat.emissive.r).toBe(0);
    expect(motor.body.position.length()).toBe(0);
  });
});
