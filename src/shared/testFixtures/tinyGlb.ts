// Test fixture, in src/shared so both the renderer's unit tests and the browser tests (node project) can use it.
// A tiny GLB built byte by byte for tests: three named nodes ("Housing", "Bearing_DE", "Shaft") sharing one cube
// mesh. No exporter needed, and it runs in Node and in the browser alike.

export function tinyGlb(): Uint8Array {
  // A unit cube: 8 corners, 12 triangles.
  const positions = new Float32Array([-0.5, -0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5, -0.5, -0.5, 0.5, 0.5, -0.5, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0.5]);
  const indices = new Uint16Array([0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 3, 7, 6, 3, 6, 2, 0, 4, 7, 0, 7, 3, 1, 2, 6, 1, 6, 5]);
  const bin = new Uint8Array(positions.byteLength + indices.byteLength);
  bin.set(new Uint8Array(positions.buffer), 0);
  bin.set(new Uint8Array(indices.buffer), positions.byteLength);
  const json = {
    asset: { version: '2.0' },
    scene: 0,
    scenes: [{ nodes: [0, 1, 2] }],
    nodes: [
      { name: 'Housing', mesh: 0, scale: [1, 0.6, 0.6] },
      { name: 'Bearing_DE', mesh: 0, translation: [0.7, 0, 0], scale: [0.25, 0.25, 0.25] },
      { name: 'Shaft', mesh: 0, translation: [0.95, 0, 0], scale: [0.3, 0.06, 0.06] },
    ],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 8, type: 'VEC3', min: [-0.5, -0.5, -0.5], max: [0.5, 0.5, 0.5] },
      { bufferView: 1, componentType: 5123, count: indices.length, type: 'SCALAR' },
    ],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: positions.byteLength },
      { buffer: 0, byteOffset: positions.byteLength, byteLength: indices.byteLength },
    ],
    buffers: [{ byteLength: bin.byteLength }],
  };
  const pad = (n: number) => (n + 3) & ~3;
  const text = new TextEncoder().encode(JSON.stringify(json));
  const jsonChunk = new Uint8Array(pad(text.length)).fill(0x20);
  jsonChunk.set(text);
  const binChunk = new Uint8Array(pad(bin.length));
  binChunk.set(bin);
  const total = 12 + 8 + jsonChunk.length + 8 + binChunk.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true); // "glTF"
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonChunk.length, true);
  view.setUint32(16, 0x4e4f534a, true); // "JSON"
  out.set(jsonChunk, 20);
  const at = 20 + jsonChunk.length;
  view.setUint32(at, binChunk.length, true);
  view.setUint32(at + 4, 0x004e4942, true); // "BIN"
  out.set(binChunk, at + 8);
  return out;
}
