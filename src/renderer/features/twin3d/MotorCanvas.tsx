import { useEffect, useMemo, useRef, type ComponentRef, type RefObject } from 'react';
import * as THREE from 'three';
import { Canvas, useFrame, useThree, type ThreeEvent } from '@react-three/fiber';
import { OrbitControls } from '@react-three/drei';
import type { ReadingName } from '../../../shared/readings';
import { OverlayPainter, type OverlayInputs } from './overlayPainter';
import type { TwinModel } from './twinModel';
import { useTheme } from '../../app/theme';
import { cssVar } from '../../ui/cssVar';
import type { Sites } from './sites';
import { TagPlacer } from './tagPlacer';

export type ViewName = 'home' | 'front' | 'side' | 'top';
const VIEW_DIRECTIONS: Record<ViewName, [number, number, number]> = { home: [0.8, 0.5, 1], front: [1, 0.08, 0.001], side: [0.001, 0.12, 1], top: [0.001, 1, 0.02] };

export interface Pick {
  node: string;
  /** The clicked point in the model's coordinates. */
  point: [number, number, number];
}

interface Props {
  model: TwinModel;
  sites: Sites;
  inputs: RefObject<OverlayInputs>;
  /** Tag elements by reading; positioned over their sensor every frame. */
  tags: RefObject<Map<ReadingName, HTMLElement>>;
  view: { name: ViewName; nonce: number };
  onPick(p: Pick): void;
  onContext(lost: boolean): void;
}

/** The 3D scene: lights, orbit controls, the model with its overlays, and the tags' positions. */
export default function MotorCanvas(props: Props) {
  return (
    <Canvas
      dpr={[1, 2]}
      camera={{ fov: 35, near: 0.01, far: 100, position: [1, 0.6, 1.3] }}
      // No MSAA: software renderers (SwiftShader on machines without a GPU) pay for it on every pixel,
      // and a high-DPI screen smooths edges anyway.
      gl={{ antialias: false, alpha: false, powerPreference: 'high-performance' }}
      data-testid="twin3d-canvas"
      onCreated={({ gl }) => {
        // three.js keeps its state across a lost context and rebuilds it on restore; the UI only has to say so.
        gl.domElement.addEventListener('webglcontextlost', () => props.onContext(true));
        gl.domElement.addEventListener('webglcontextrestored', () => props.onContext(false));
      }}
    >
      <hemisphereLight args={['#f4f7ff', '#4a4f57', 1.6]} />
      <directionalLight position={[3, 5, 4]} intensity={2.2} />
      <directionalLight position={[-4, 2, -3]} intensity={0.8} />
      <ThemeBackground />
      <GpuResources />
      <Rig {...props} />
    </Canvas>
  );
}

/** Clears to the theme's panel colour (the canvas is opaque; see twin3d.css). */
function ThemeBackground() {
  const gl = useThree((s) => s.gl);
  const theme = useTheme();
  useEffect(() => {
    const apply = () => gl.setClearColor(cssVar('--surface-2'));
    apply();
    // A restored context starts from three.js's defaults (black).
    gl.domElement.addEventListener('webglcontextrestored', apply);
    return () => gl.domElement.removeEventListener('webglcontextrestored', apply);
  }, [gl, theme]);
  return null;
}

/**
 * What the renderer holds on the GPU (geometries, textures, shader programs), written on the canvas every
 * two seconds: WebGL cannot report bytes, and these counts are what grows when something leaks.
 */
function GpuResources() {
  const gl = useThree((s) => s.gl);
  useEffect(() => {
    const el = gl.domElement;
    const timer = setInterval(() => {
      el.dataset.geometries = String(gl.info.memory.geometries);
      el.dataset.textures = String(gl.info.memory.textures);
      el.dataset.programs = String(gl.info.programs?.length ?? 0);
    }, 2000);
    return () => clearInterval(timer);
  }, [gl]);
  return null;
}

function Rig({ model, sites, inputs, tags, view, onPick }: Props) {
  const camera = useThree((s) => s.camera);
  const size = useThree((s) => s.size);
  const controls = useRef<ComponentRef<typeof OrbitControls>>(null);
  const root = useMemo(() => new THREE.Group(), []);
  const painter = useMemo(() => new OverlayPainter(model, sites), [model, sites]);
  const placer = useMemo(() => new TagPlacer(), []);

  useEffect(() => {
    root.add(model.body);
    return () => {
      root.remove(model.body);
    };
  }, [root, model]);
  useEffect(() => () => painter.dispose(), [painter]);

  useEffect(() => {
    const c = controls.current;
    const [x, y, z] = VIEW_DIRECTIONS[view.name];
    const distance = model.radius * 2.9;
    camera.position.set(x, y, z).normalize().multiplyScalar(distance);
    camera.lookAt(0, 0, 0);
    if (c) {
      c.target.set(0, 0, 0);
      c.update();
    }
  }, [view, camera, model.radius]);

  useFrame((state, dt) => {
    const inp = inputs.current;
    if (!inp) return;
    painter.paint(inp);
    painter.tick(inp, Math.min(dt, 0.1), state.clock.elapsedTime);
    placer.place(tags.current, sites, root.matrixWorld, camera, size.width, size.height);
  });

  const click = (e: ThreeEvent<MouseEvent>) => {
    e.stopPropagation();
    const node = e.object.userData.part as string | undefined;
    if (!node) return;
    const local = model.body.worldToLocal(e.point.clone());
    onPick({ node, point: [local.x, local.y, local.z] });
  };

  return (
    <>
      <primitive object={root} onClick={click} />
      <mesh rotation-x={-Math.PI / 2} position-y={model.floorY} raycast={() => null}>
        <circleGeometry args={[model.radius * 1.05, 48]} />
        <meshStandardMaterial color="#808891" transparent opacity={0.18} />
      </mesh>
      <OrbitControls ref={controls} makeDefault enableDamping={false} minDistance={model.radius * 1.2} maxDistance={model.radius * 10} />
    </>
  );
}
