import * as THREE from 'three';

/** Node names that turn with the shaft when the user has not said which parts turn. */
export const TURNING_BY_NAME = /shaft|rotor|fan|impeller|coupling|pulley|sheave/i;

const X = new THREE.Vector3(1, 0, 0);

/**
 * The axis a turning part turns about, in the coordinates of the box's frame: the box's odd dimension
 * out. A shaft is long and round (one long side, two equal short ones), a fan is flat and round (two
 * equal long sides, one short one); either way the axis is the side unlike the other two.
 */
export function turningAxis(size: THREE.Vector3): THREE.Vector3 {
  const d = [size.x, size.y, size.z];
  const oddness = d.map((v, i) => {
    const others = d.filter((_, j) => j !== i);
    return Math.abs(v - (others[0] + others[1]) / 2) - Math.abs(others[0] - others[1]);
  });
  const i = oddness.indexOf(Math.max(...oddness));
  return new THREE.Vector3(i === 0 ? 1 : 0, i === 1 ? 1 : 0, i === 2 ? 1 : 0);
}

/**
 * Makes the chosen nodes of an imported model turnable the way the built-in model's shaft and fan are:
 * each one hangs in a group whose local x is its own axis through its own centre, so the overlay's
 * `rotation.x = angle` turns it in place. A node inside another turning node turns with it, not twice.
 * Returns the groups to turn.
 */
export function mountSpinners(root: THREE.Object3D, turns: (node: THREE.Object3D) => boolean): THREE.Object3D[] {
  root.updateMatrixWorld(true);
  const chosen: THREE.Object3D[] = [];
  root.traverse((o) => {
    if (o === root || !turns(o)) return;
    for (let p = o.parent; p && p !== root; p = p.parent) if (chosen.includes(p)) return;
    chosen.push(o);
  });
  return chosen.flatMap((node) => {
    const parent = node.parent;
    if (!parent) return [];
    // The node's box in its parent's frame: centre and axis where the node actually sits.
    const toParent = new THREE.Matrix4().copy(parent.matrixWorld).invert();
    const box = new THREE.Box3();
    node.traverse((o) => {
      if (!(o instanceof THREE.Mesh)) return;
      o.geometry.computeBoundingBox();
      box.union(o.geometry.boundingBox!.clone().applyMatrix4(new THREE.Matrix4().multiplyMatrices(toParent, o.matrixWorld)));
    });
    if (box.isEmpty()) return [];
    const orient = new THREE.Group();
    orient.name = `${node.name}:axis`;
    orient.position.copy(box.getCenter(new THREE.Vector3()));
    orient.quaternion.setFromUnitVectors(X, turningAxis(box.getSize(new THREE.Vector3())));
    const spin = new THREE.Group();
    spin.name = `${node.name}:turning`;
    orient.add(spin);
    parent.add(orient);
    orient.updateMatrixWorld(true);
    spin.attach(node);
    return [spin];
  });
}
