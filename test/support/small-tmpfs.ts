import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Real storage failures for tests: a small tmpfs mounted on a folder (full, or read-only), which
 * needs root, as CI has. Every mount made here is undone by `unmountAll` (call it in `afterAll`,
 * before the folders are removed).
 */
const mounted: string[] = [];

/** Mounts a tmpfs with `options` (`size=64k`, `size=64k,ro`) on the existing folder `dir`; the reason it cannot, when it cannot. */
export function mountTmpfs(dir: string, options: string): { dir: string } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'not root: cannot mount a small tmpfs' };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    return { skip: `mount -t tmpfs -o ${options} failed: ${(error as Error).message.split('\n')[0]}` };
  }
  mounted.push(dir);
  return { dir };
}

/** Undoes one mount made by `mountTmpfs` (lazily: a process may still have a file open there). */
export function unmount(dir: string): void {
  const at = mounted.indexOf(dir);
  if (at < 0) return;
  mounted.splice(at, 1);
  execFileSync('umount', ['--lazy', dir]);
}

/** Undoes every mount made by `mountTmpfs`, the last first. */
export function unmountAll(): void {
  for (const dir of [...mounted].reverse()) unmount(dir);
}

/** Fills the file system of `dir` to its last page; returns the filler file (remove it to free the space). */
export function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const chunk = Buffer.alloc(4096);
  try {
    for (let index = 0; index < 1_000_000; index += 1) writeFileSync(filler, chunk, { flag: 'a' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  return filler;
}
