import { describe, expect, it } from 'vitest';
import { tinyGlb } from '../../../shared/testFixtures/tinyGlb';
import { explainGltfError, parseGltf, turningNodes } from './twinModel';

describe('custom glTF models', () => {
  it('loads a GLB with its nodes as pickable parts, centred and scaled', async () => {
    const glb = tinyGlb();
    const model = await parseGltf(glb.slice().buffer, null);
    expect([...model.parts.keys()].sort()).toEqual(['Bearing_DE', 'Housing', 'Shaft']);
    const mesh = model.parts.get('Bearing_DE')![0];
    expect(mesh.userData.part).toBe('Bearing_DE');
    // Every mesh gets its own material, so colouring one node leaves the others alone.
    expect(mesh.material).not.toBe(model.parts.get('Housing')![0].material);
    expect(model.floorY).toBeLessThan(0);
    model.dispose();
  });

  it('turns the node named like a shaft, unless the user chose other parts', async () => {
    const glb = tinyGlb();
    expect(turningNodes(await parseGltf(glb.slice().buffer, null))).toEqual(['Shaft']);
    expect(turningNodes(await parseGltf(glb.slice().buffer, ['Bearing_DE']))).toEqual(['Bearing_DE']);
    expect(turningNodes(await parseGltf(glb.slice().buffer, []))).toEqual([]);
  });

  it('rejects a file that is not glTF, with a message a user can act on', async () => {
    const junk = new TextEncoder().encode('not a model at all');
    const err = await parseGltf(junk.buffer as ArrayBuffer, null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(explainGltfError('broken.glb', err)).toMatch(/broken\.glb is not a valid glTF\/GLB file/);
    expect(explainGltfError('m.glb', new Error('THREE.GLTFLoader: No DRACOLoader instance provided.'))).toMatch(/compressed meshes/);
  });
});
