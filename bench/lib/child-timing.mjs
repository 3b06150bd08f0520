import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { median } from './stats.mjs';

/**
 * Wall time of fresh `node` processes: each command's median over `runs` rounds, the commands
 * taking turns within a round (alternating, so a burst of load on the shared machine hits all
 * of them alike rather than one). `commands` maps a name to node's arguments; each must exit 0.
 */
export function alternatingMedians(commands, runs, cwd) {
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round < runs; round += 1) {
    for (const [name, args] of Object.entries(commands)) {
      const start = performance.now();
      const child = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
      const elapsed = performance.now() - start;
      if (child.status !== 0) throw new Error(`${name} exited ${child.status}: ${(child.stderr || child.stdout).slice(0, 300)}`);
      times[name].push(elapsed);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

/**
 * Peak RSS (MB) of a fresh `node` process running `args`: median over `runs`, read by a preloaded
 * module from `process.resourceUsage().maxRSS` as the process exits. The probe is CommonJS
 * (`--require`): an `--import` makes Node load even a CommonJS entry through its ES module loader,
 * which no user's `sop` does (+4 MB for the CommonJS bin/sop.js; the same figure for an ESM entry).
 */
export function peakRssMb(args, runs, scratch) {
  const probe = path.join(scratch, 'rss-probe.cjs');
  const out = path.join(scratch, 'rss-probe.out');
  writeFileSync(probe, `const { writeFileSync } = require('node:fs');\nprocess.on('exit', () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
  const values = [];
  for (let round = 0; round < runs; round += 1) {
    rmSync(out, { force: true });
    const child = spawnSync(process.execPath, ['--require', probe, ...args], { cwd: scratch, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`exited ${child.status}: ${(child.stderr || child.stdout).slice(0, 300)}`);
    values.push(Number(readFileSync(out, 'utf8')) / 1024);
  }
  return median(values);
}

/** The filesystem type of the folder (`ext4`, `tmpfs`, ...), from `df`; `unknown` where df cannot tell. */
export function filesystemType(dir) {
  const child = spawnSync('df', ['--output=fstype', dir], { encoding: 'utf8' });
  return child.status === 0 ? (child.stdout.trim().split('\n')[1] ?? 'unknown').trim() : 'unknown';
}
