// CPU profile of a workload (0 ms in-process model, record on disk): runs bench/measure-run.mjs
// under `node --cpu-prof` and prints the functions with the most self time.
//   node bench/profile.mjs [--workload w1|fanout-1000] [--dist DIR] [--runs N] [--top N] [--keep DIR] [--records DIR]
// --workload: W1, the 5-step pipeline (default, 300 runs), or 1 -> 1000 reviewers -> 1 (default 10 runs).
// --records: where the run records go (default os.tmpdir()); /dev/shm (tmpfs) leaves out the disk's waits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { selfTimeTop } from './lib/cpu-profile.mjs';
import { fanoutSop } from './lib/sops.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { workload: { type: 'string', default: 'w1' }, dist: { type: 'string' }, runs: { type: 'string' }, top: { type: 'string', default: '15' }, keep: { type: 'string' }, records: { type: 'string' } } });
const dist = path.resolve(flags.dist ?? process.env.SOP_BENCH_DIST ?? path.join(root, 'dist'));
const workloads = {
  w1: { name: 'W1', runs: 300, warmup: 20, sopFile: () => path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml') },
  'fanout-1000': { name: '1 -> 1000 -> 1', runs: 10, warmup: 2, sopFile: () => { const file = path.join(scratch, 'fanout-1000.yaml'); writeFileSync(file, fanoutSop(1000)); return file; } },
};
const workload = workloads[flags.workload];
if (!workload) throw new Error(`--workload: expected one of ${Object.keys(workloads).join(', ')}, got ${flags.workload}`);
const scratch = mkdtempSync(path.join(flags.records ? path.resolve(flags.records) : tmpdir(), 'sop-profile-'));
const profiles = flags.keep ? path.resolve(flags.keep) : path.join(scratch, 'profiles');
const runs = Number(flags.runs ?? workload.runs);
const args = JSON.stringify({ dist, sopFile: workload.sopFile(), scratch: path.join(scratch, 'runs'), warmup: workload.warmup, repeat: runs, profiling: true });
const child = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profiles, path.join(root, 'bench', 'measure-run.mjs'), args], { encoding: 'utf8' });
if (child.status !== 0) throw new Error(`profiled run exited ${child.status}: ${child.stderr.slice(0, 500)}`);
const file = path.join(profiles, readdirSync(profiles).find((name) => name.endsWith('.cpuprofile')));
const { totalMs, rows } = selfTimeTop(JSON.parse(readFileSync(file, 'utf8')), Number(flags.top), root);
console.log(`${workload.name} x ${runs} runs (+${workload.warmup} warm-up), build ${dist}, records in ${scratch}: ${totalMs.toFixed(0)} ms of samples (idle excluded); top self time:`);
rows.forEach((row, index) => console.log(`${String(index + 1).padStart(2)}. ${row.percent.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(6)} ms  ${row.name}  ${row.where}`));
if (flags.keep) console.log(`profile kept: ${file}`);
rmSync(scratch, { recursive: true, force: true });
