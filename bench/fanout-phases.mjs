// Where a 1 -> N -> 1 fan-out at 50 ms spends its CPU, phase by phase, for one build or two (A/B):
// what lies on the run's critical path (starting the N calls, taking their answers, the round's
// commit, the gap before the aggregator's call, the end) and what overlaps a model call. CPU time
// (`process.cpuUsage`, which only grows with other work on the machine, unlike wall time) between
// the run's own events, median and least of the runs; with --before, both builds load in one process and
// take turns, so a loaded machine slows both alike.
//   node bench/fanout-phases.mjs [--dist DIR] [--before OLD/dist] [--width 1000] [--runs 9]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { latencyModel } from './lib/models.mjs';
import { fanoutSop } from './lib/sops.mjs';
import { median } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { dist: { type: 'string' }, before: { type: 'string' }, width: { type: 'string', default: '1000' }, runs: { type: 'string', default: '9' } } });
const width = Number(flags.width);
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-fanout-phases-'));
const sopFile = path.join(scratch, `fanout-${width}.yaml`);
writeFileSync(sopFile, fanoutSop(width));

const dists = [...(flags.before ? [['before', flags.before]] : []), ['this', flags.dist ?? path.join(root, 'dist')]];
const builds = [];
for (const [name, dist] of dists) {
  const { loadResolvedSop, runSop } = await import(pathToFileURL(path.join(path.resolve(dist), 'index.js')).href);
  builds.push({ name, dist, runSop, sop: (await loadResolvedSop(sopFile)).sop, rows: [] });
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** One run; the CPU between the events that bound each phase (round 2 is the wide one, round 3 the aggregator's). */
async function once(build, index) {
  const at = {};
  // The N-th call out and the N-th action's end are counted, not timed one by one: a CPU reading
  // per event (~15 µs each) added ~15 ms to each of those phases.
  let callsOut = 0;
  let actionsEnded = 0;
  const onEvent = (event) => {
    const key = `${event.type}@${event.round}`;
    if (key === 'round-start@2') at.wideStart = cpuMs();
    if (key === 'llm-call-start@2' && ++callsOut === width) at.lastCallOut = cpuMs();
    if (key === 'llm-call-end@2') at.firstAnswer ??= cpuMs();
    if (key === 'action-end@2' && ++actionsEnded === width) at.lastActionEnd = cpuMs();
    if (key === 'round-end@2') at.wideEnd = cpuMs();
    if (key === 'llm-call-start@3') at.aggregatorOut = cpuMs();
    if (key === 'llm-call-end@3') at.aggregatorAnswer = cpuMs();
  };
  const runDir = path.join(scratch, `${build.name}-${index}`);
  const start = cpuMs();
  const result = await build.runSop(build.sop, { inputs: { idea: 'a todo app' }, cwd: runDir, runsDir: path.join(runDir, 'runs'), workspace: path.join(runDir, 'ws'), model: latencyModel(50), runId: 'phases', onEvent });
  const end = cpuMs();
  rmSync(runDir, { recursive: true, force: true });
  if (result.status !== 'completed') throw new Error(`${build.name}: the run ended ${result.status}`);
  return {
    'before the wide round': at.wideStart - start,
    [`starting ${width} calls`]: at.lastCallOut - at.wideStart,
    'taking their answers': at.lastActionEnd - at.firstAnswer,
    "the round's commit": at.wideEnd - at.lastActionEnd,
    "to the aggregator's call": at.aggregatorOut - at.wideEnd,
    "during the aggregator's call (overlapped)": at.aggregatorAnswer - at.aggregatorOut,
    'the end': end - at.aggregatorAnswer,
    total: end - start,
  };
}

for (const build of builds) await once(build, 'warm');
const runs = Number(flags.runs);
for (let index = 0; index < runs; index += 1) {
  for (const build of index % 2 === 0 ? builds : [...builds].reverse()) build.rows.push(await once(build, index));
}
rmSync(scratch, { recursive: true, force: true });
// The least of the runs beside the median: other work on the machine, and a scavenge that lands in a
// phase, only ever add to it.
console.log(`1 -> ${width} -> 1 at 50 ms: CPU ms per phase, median / least of ${runs} runs${builds.length > 1 ? ' (builds taking turns)' : ''}`);
const phases = Object.keys(builds[0].rows[0]);
const figure = (rows, phase) => `${median(rows.map((row) => row[phase])).toFixed(1)} / ${Math.min(...rows.map((row) => row[phase])).toFixed(1)}`;
console.log(['phase'.padEnd(44), ...builds.map((build) => build.name.padStart(14))].join(''));
for (const phase of phases) console.log([phase.padEnd(44), ...builds.map((build) => figure(build.rows, phase).padStart(14))].join(''));
