// The run loop's per-action cost alone, in ~20 s (the full `npm run bench` takes a minute): the three
// figures the CPU-per-action work aims at, measured the way bench/run.mjs measures them.
//   node bench/hotpath.mjs [--dist DIR]
// W1 CPU per step with the record on tmpfs (fresh process, 20 warm-up + 101 runs), W2 (1 -> 20 -> 1)
// at 50 ms (median of 5 after warm-up) and 1 -> 1000 -> 1 at 50 ms (median of 3 after one warm-up).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { latencyModel } from './lib/models.mjs';
import { fanoutSop } from './lib/sops.mjs';
import { timeRuns } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { dist: { type: 'string' } } });
const dist = path.resolve(flags.dist ?? path.join(root, 'dist'));
const { loadResolvedSop, runSop } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-hotpath-'));

function w1OnTmpfs() {
  // tmpfs where there is one (Linux), else the temporary folder (the figure then includes its disk).
  const dir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sop-hotpath-'));
  const args = JSON.stringify({ dist, sopFile: path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml'), scratch: dir, warmup: 20, repeat: 101 });
  const child = spawnSync(process.execPath, [path.join(root, 'bench', 'measure-run.mjs'), args], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(child.stderr.slice(0, 500));
  const row = JSON.parse(child.stdout.trim().split('\n').pop());
  return { cpuUs: row.cpuUs / row.calls, leastUs: row.cpuUsLeast / row.calls, wallUs: (row.wallMs * 1000) / row.calls };
}

async function timeSop(file, name, latency, iterations) {
  const { sop } = await loadResolvedSop(file);
  const runDir = path.join(scratch, name);
  return timeRuns(iterations, async (i) => {
    const result = await runSop(sop, { inputs: { idea: 'a todo app' }, cwd: runDir, runsDir: path.join(runDir, 'runs'), workspace: path.join(runDir, 'ws'), model: latencyModel(latency), runId: `bench-${i}` });
    if (result.status !== 'completed') throw new Error(`${name} ended ${result.status}`);
  });
}

const w1 = w1OnTmpfs();
console.log(`W1 on tmpfs, per step: CPU ${w1.cpuUs.toFixed(0)} µs (least ${w1.leastUs.toFixed(0)} µs), wall ${w1.wallUs.toFixed(0)} µs`);
const w2File = path.join(root, 'bench', 'workloads', 'w2-fanout.yaml');
await timeSop(w2File, 'w2-warm', 0, 50);
const w2 = await timeSop(w2File, 'w2', 50, 5);
console.log(`1 -> 20 -> 1 @50 ms: ${w2.toFixed(1)} ms = ${(w2 / 150).toFixed(3)}x ideal (target 1.03x)`);
const wideFile = path.join(scratch, 'fanout-1000.yaml');
writeFileSync(wideFile, fanoutSop(1000));
await timeSop(wideFile, 'wide-warm', 50, 1);
const wide = await timeSop(wideFile, 'wide', 50, 3);
console.log(`1 -> 1000 -> 1 @50 ms: ${wide.toFixed(1)} ms = ${(wide / 150).toFixed(3)}x ideal (target 1.1x)`);
rmSync(scratch, { recursive: true, force: true });
