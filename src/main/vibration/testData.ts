import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** ../shared/data beside the repository (never copied into it). */
export const SHARED_DATA = resolve(import.meta.dirname, '../../../../shared/data');

/**
 * NASA IMS test 2 while the rig ran: one 10-minute snapshot per row, the mean absolute acceleration (g) of the
 * four bearings. The last rows are the stopped rig (all sensors near zero), not vibration, and are left out.
 */
export function imsTest2Running(): Array<{ t: number; levels: number[] }> {
  return readFileSync(resolve(SHARED_DATA, 'ims/merged_dataset_BearingTest_2.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const c = l.split(',');
      return { t: Date.parse(`${c[0].replace(' ', 'T')}Z`), levels: c.slice(1, 5).map(Number) };
    })
    .filter((r) => Math.min(...r.levels) > 0.01);
}
