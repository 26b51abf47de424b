import { onTestFailed } from 'vitest';

/**
 * A fuzz file's fast-check seed: FUZZ_SEED=N replays a run, otherwise a random one. Chosen up front and
 * printed by announceSeed() before each run, so any failure (a vitest timeout too, which no fast-check
 * report explains) can be replayed.
 */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be a whole number (a seed a fuzz test printed), not "${given}"`);
  return seed;
}

/** Prints the seed before the run and again if the test fails; call it inside the test. */
export function announceSeed(test: string, seed: number): void {
  console.log(`[${test}] seed ${seed} (FUZZ_SEED=${seed} replays this run)`);
  onTestFailed(() => console.log(`[${test}] failed with seed ${seed} (FUZZ_SEED=${seed} replays this run)`));
}
