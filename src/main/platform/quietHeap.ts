import { setFlagsFromString } from 'node:v8';

/**
 * Keeps a long-running engine's heap from waking it when idle. V8's memory reducer shrinks the heap that
 * start-up grew with up to three full collections a minute or two later (by its 100 s watchdog): in an idle
 * `serve` that was 0.1-0.2 CPU s at once, 1.1-1.3 % of a core over a 15 s window (issue 16 wants under 1 %
 * in every one). `--no-memory-reducer` only works on the line that starts Node (the reducer is made with the
 * heap), which a user typing `node bin/motortwin.js serve`, npm scripts and Electron's utility process do not
 * give. The reducer can only start its collections through incremental marking, and V8 reads that flag each
 * time it would start one, so turning it off here stops the reducer whenever this runs.
 * Full collections then mark in one pause (parallel threads still help): tens of ms on this engine's heap,
 * with the same CPU at 50 motors x 10 Hz (16.5/17.0 % against 17.4/16.2 % side by side at load 7).
 * The heap keeps ~20 MB more resident, as with `--no-memory-reducer`.
 */
export function keepHeapQuietWhenIdle(): void {
  setFlagsFromString('--no-incremental-marking');
}
