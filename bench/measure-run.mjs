// One workload measured in a fresh process (spawned by bench/run.mjs): loads the build under test,
// warms up, then runs the SOP `repeat` times with the 0 ms in-process model and the record on disk.
// Prints one JSON line: medians of CPU time, wall time and bytes written per run, the least CPU
// time of a run (other work on the machine only ever adds to it), model calls per run, the last
// run's status and final state size, and the process's peak RSS.
//   node bench/measure-run.mjs '{"dist": "...", "sopFile": "...", "scratch": "...", "repeat": 3}'
// Optional: nRound, warmup, durability (the run journal's fsync policy, issue #11: 'process' | 'machine'),
// profiling (skip the CPU and bytes-written reads, ~100 µs of syscalls per run here, so that a CPU
// profile shows the run alone).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { latencyModel } from './lib/models.mjs';
import { finalStateBytes } from './lib/run-record.mjs';
import { median } from './lib/stats.mjs';

const { dist, sopFile, scratch, nRound, durability, warmup = 0, repeat = 1, idea = 'a todo app', profiling = false } = JSON.parse(process.argv[2]);
const { loadResolvedSop, runSop } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const { sop } = await loadResolvedSop(sopFile);
// The whole state a resume needs (every message whole, as the old checkpoint.json held it), rebuilt
// from the record by builds that have `resumeStateBytes`; for older builds, their own state record.
const { resumeStateBytes } = await import(pathToFileURL(path.join(dist, 'runtime', 'resume-point.js')).href).catch(() => ({}));
const finalState = (runDir) => (resumeStateBytes ? { bytes: resumeStateBytes(runDir), source: 'the whole state a resume rebuilds from journal.jsonl' } : finalStateBytes(runDir));

/** Bytes this process has handed to write(2) and friends so far (Linux `/proc/self/io` `wchar`). */
function bytesWritten() {
  try {
    return Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))[1]);
  } catch {
    return Number.NaN;
  }
}

async function once(index) {
  const model = latencyModel(0);
  const runDir = path.join(scratch, `run-${index}`);
  const wchar = profiling ? 0 : bytesWritten();
  const cpu = profiling ? undefined : process.cpuUsage();
  const start = performance.now();
  const result = await runSop(sop, { inputs: { idea }, cwd: runDir, runsDir: path.join(runDir, 'runs'), workspace: path.join(runDir, 'ws'), model, runId: `bench-${index}`, nRound, ...(durability ? { durability } : {}) });
  const wallMs = performance.now() - start;
  const used = profiling ? { user: 0, system: 0 } : process.cpuUsage(cpu);
  return { wallMs, cpuUs: used.user + used.system, wchar: profiling ? 0 : bytesWritten() - wchar, calls: model.promptSizes.length, status: result.status, runDir: result.runDir };
}

for (let index = 0; index < warmup; index += 1) await once(`warm-${index}`);
const runs = [];
for (let index = 0; index < repeat; index += 1) runs.push(await once(index));
const last = runs[runs.length - 1];
console.log(JSON.stringify({
  status: last.status,
  calls: last.calls,
  cpuUs: median(runs.map((run) => run.cpuUs)),
  cpuUsLeast: Math.min(...runs.map((run) => run.cpuUs)),
  wallMs: median(runs.map((run) => run.wallMs)),
  wcharBytes: median(runs.map((run) => run.wchar)),
  finalState: finalState(last.runDir),
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}));
