import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tools';

/**
 * A real small filesystem (tmpfs) to fill up: the disk-full fault as the kernel reports it (ENOSPC),
 * not a mocked call. Mounting needs root with CAP_SYS_ADMIN, which the CI container has; without it
 * the test fails and says so.
 */
export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the kernel answers ENOSPC; returns its path. */
  fill(): string;
  unmount(): void;
}

export function mountSmallDisk(sizeMb: number): SmallDisk {
  const dir = tempDir('motortwin-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`this test mounts a ${sizeMb} MB tmpfs to fill it, which needs root (CAP_SYS_ADMIN): ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}`);
  }
  return {
    dir,
    fill() {
      const file = join(dir, 'filler');
      const fd = openSync(file, 'w');
      try {
        for (const size of [1 << 20, 1 << 12, 1]) {
          const chunk = Buffer.alloc(size);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          }
        }
      } finally {
        closeSync(fd);
      }
      return file;
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
