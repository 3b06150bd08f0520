// CPU profile of the 5-step pipeline (W1, 0 ms in-process model, record on disk): runs
// bench/measure-run.mjs under `node --cpu-prof` and prints the functions with the most self time.
//   node bench/profile.mjs [--dist DIR] [--runs N] [--top N] [--keep DIR] [--records DIR]
// --records: where the run records go (default os.tmpdir()); /dev/shm (tmpfs) leaves out the disk's waits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { selfTimeTop } from './lib/cpu-profile.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { dist: { type: 'string' }, runs: { type: 'string', default: '300' }, top: { type: 'string', default: '15' }, keep: { type: 'string' }, records: { type: 'string' } } });
const dist = path.resolve(flags.dist ?? process.env.SOP_BENCH_DIST ?? path.join(root, 'dist'));
const scratch = mkdtempSync(path.join(flags.records ? path.resolve(flags.records) : tmpdir(), 'sop-profile-'));
const profiles = flags.keep ? path.resolve(flags.keep) : path.join(scratch, 'profiles');
const args = JSON.stringify({ dist, sopFile: path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml'), scratch: path.join(scratch, 'runs'), warmup: 20, repeat: Number(flags.runs), profiling: true });
const child = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profiles, path.join(root, 'bench', 'measure-run.mjs'), args], { encoding: 'utf8' });
if (child.status !== 0) throw new Error(`profiled run exited ${child.status}: ${child.stderr.slice(0, 500)}`);
const file = path.join(profiles, readdirSync(profiles).find((name) => name.endsWith('.cpuprofile')));
const { totalMs, rows } = selfTimeTop(JSON.parse(readFileSync(file, 'utf8')), Number(flags.top), root);
console.log(`W1 x ${flags.runs} runs (+20 warm-up), build ${dist}, records in ${scratch}: ${totalMs.toFixed(0)} ms of samples (idle excluded); top self time:`);
rows.forEach((row, index) => console.log(`${String(index + 1).padStart(2)}. ${row.percent.toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(6)} ms  ${row.name}  ${row.where}`));
if (flags.keep) console.log(`profile kept: ${file}`);
rmSync(scratch, { recursive: true, force: true });
