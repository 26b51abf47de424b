import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { mountSpinners, TURNING_BY_NAME } from './spinners';

/** What the overlays need from a model, built-in or imported. Coordinates are the body's own. */
export interface TwinModel {
  /** Everything that shakes; its parent stays put (tags hang on the parent). */
  body: THREE.Group;
  spinners: THREE.Object3D[];
  /** The built-in frame, painted vertex by vertex; imported models are tinted per node instead. */
  frame: THREE.Mesh<THREE.BufferGeometry, THREE.MeshStandardMaterial> | null;
  parts: Map<string, THREE.Mesh[]>;
  /** Radius of the bounding sphere, for framing the camera. */
  radius: number;
  /** Height of the floor the model stands on. */
  floorY: number;
  dispose(): void;
}

/** The node a mesh stands for: its own name, else its nearest named ancestor. */
function nodeName(o: THREE.Object3D): string {
  for (let n: THREE.Object3D | null = o; n; n = n.parent) if (n.name) return n.name;
  return o.uuid;
}

/**
 * Parses a GLB (or a self-contained .gltf) and prepares it as a twin model: centred, scaled to about a
 * metre, every mesh with its own standard material so overlays can colour one node without the rest.
 * Compressed meshes (Draco, meshopt) are refused: their decoders would have to be fetched at run time.
 * `turning` names the nodes that turn with the shaft; null: the nodes named like a shaft, rotor or fan.
 */
export async function parseGltf(data: ArrayBuffer, turning: string[] | null): Promise<TwinModel> {
  const gltf = await new GLTFLoader().parseAsync(data, '');
  const body = new THREE.Group();
  body.name = 'custom';
  const scene = gltf.scene;
  const box = new THREE.Box3().setFromObject(scene);
  if (box.isEmpty()) throw new Error('the file has no visible meshes');
  const size = box.getSize(new THREE.Vector3()).length();
  const scale = 0.9 / size;
  scene.scale.setScalar(scale);
  scene.position.copy(box.getCenter(new THREE.Vector3()).multiplyScalar(-scale));
  body.add(scene);
  const parts = new Map<string, THREE.Mesh[]>();
  const geometries: THREE.BufferGeometry[] = [];
  const materials: THREE.Material[] = [];
  scene.traverse((o) => {
    if (!(o instanceof THREE.Mesh)) return;
    const source = Array.isArray(o.material) ? o.material[0] : o.material;
    const m = new THREE.MeshStandardMaterial({ color: (source as THREE.MeshStandardMaterial).color?.clone() ?? new THREE.Color('#8892a0'), metalness: 0.3, roughness: 0.6, map: (source as THREE.MeshStandardMaterial).map ?? null });
    o.material = m;
    materials.push(m);
    geometries.push(o.geometry);
    const name = nodeName(o);
    o.userData.part = name;
    parts.set(name, [...(parts.get(name) ?? []), o]);
  });
  if (!parts.size) throw new Error('the file has no meshes');
  const spinners = mountSpinners(scene, (o) => Boolean(o.name) && (turning ? turning.includes(o.name) : TURNING_BY_NAME.test(o.name)));
  return {
    body,
    spinners,
    frame: null,
    parts,
    radius: 0.45,
    floorY: (box.min.y - box.getCenter(new THREE.Vector3()).y) * scale,
    dispose: () => {
      geometries.forEach((g) => g.dispose());
      materials.forEach((m) => m.dispose());
    },
  };
}

/** The nodes of a model that turn with its shaft. */
export function turningNodes(model: TwinModel): string[] {
  return model.spinners.map((s) => s.children[0]?.name ?? '').filter(Boolean);
}

/** Why a file could not be shown, in words a user can act on. */
export function explainGltfError(name: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/draco|meshopt|KHR_draco|EXT_meshopt/i.test(msg)) return `${name}: compressed meshes (Draco/meshopt) are not supported offline; export it uncompressed`;
  if (/Unexpected token|JSON|magic|Unsupported asset/i.test(msg)) return `${name} is not a valid glTF/GLB file (${msg})`;
  if (/fetch|Failed to load|buffer/i.test(msg)) return `${name} refers to files outside itself; export a single .glb`;
  return `${name} could not be loaded: ${msg}`;
}
