// `npm run bench`: the peer workloads, measured against a plain async JavaScript baseline making the
// same model calls in the same process, then issue #11's targets, each as a figure beside its limit
// with `met`/`NOT met`. Prints figures and ratios; asserts nothing (see README).
//   node bench/run.mjs [--quick] [--dist DIR] [--markdown]
// --dist (or SOP_BENCH_DIST) is the build under test (default: this checkout's dist/); its package
// folder's bin/sop.js and sops/ are used for the CLI figures, so one script measures old and new.
// --markdown also prints the targets as a Markdown table (the README's "after #11" column).
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { evalFigures } from './eval.mjs';
import { htmlReportFigures } from './html-report.mjs';
import { queueFigures } from './queue.mjs';
import { alternatingMedians, filesystemType, peakRssMb } from './lib/child-timing.mjs';
import { latencyModel } from './lib/models.mjs';
import { chainSop, fanoutSop, pipelineSop } from './lib/sops.mjs';
import { kb, mb, median, ms, timeRuns, us } from './lib/stats.mjs';
import { markdownTargets, printTargets, target } from './lib/targets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false }, dist: { type: 'string' }, markdown: { type: 'boolean', default: false } } });
const quick = flags.quick;
const dist = path.resolve(flags.dist ?? process.env.SOP_BENCH_DIST ?? path.join(root, 'dist'));
const build = path.dirname(dist);
const distModule = (file) => import(pathToFileURL(path.join(dist, file)).href);
const { loadResolvedSop, runSop } = await distModule('index.js');
const workloads = path.join(root, 'bench', 'workloads');
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-bench-'));
const sopCli = path.join(build, 'bin', 'sop.js');

/** Runs a measurement; a failure (a build that lacks a module or option) is printed, not fatal. */
async function attempt(name, measure) {
  try {
    return await measure();
  } catch (error) {
    console.log(`${name}: error ${String(error?.message ?? error).slice(0, 300)}`);
    return undefined;
  }
}

/** Median time of one offline-model call answering a JSON contract (what every offline run makes). */
async function offlineCall() {
  const { createOfflineModel } = await distModule('providers/offline/index.js');
  const model = createOfflineModel();
  const schema = { type: 'object', required: ['title', 'goals', 'stories'], properties: { title: { type: 'string' }, goals: { type: 'array', items: { type: 'string' } }, stories: { type: 'array', items: { type: 'object', required: ['as', 'want'], properties: { as: { type: 'string' }, want: { type: 'string' } } } } } };
  const hints = { kind: 'action', role: 'pm', action: 'write_prd', format: 'json', outputType: 'PRD', language: undefined, artifactPaths: [], attempt: 1 };
  const request = {
    model: 'offline',
    messages: [{ role: 'system', content: 'You are a product manager.' }, { role: 'user', content: 'Write a PRD.\n\nRequirement: a command-line todo app.' }],
    responseSchema: { name: 'PRD', schema },
    // The offline model's hints: `providerOptions.offline` since issue #11, `purpose` before it.
    providerOptions: { offline: hints },
    purpose: hints,
  };
  for (let index = 0; index < 50; index += 1) await model.complete(request);
  const times = [];
  for (let round = 0; round < 5; round += 1) {
    const started = performance.now();
    for (let index = 0; index < 200; index += 1) await model.complete(request);
    times.push((performance.now() - started) / 200);
  }
  return median(times);
}

/** The same calls, written as plain async JavaScript: the floor any framework is measured against. */
const baselines = {
  async w1(model) {
    let text = 'a todo app';
    for (let step = 1; step <= 5; step++) {
      const reply = await model.complete({ messages: [{ role: 'system', content: `Step ${step}` }, { role: 'user', content: `Refine: ${text}` }] });
      text = reply.text;
    }
  },
  async w2(model) {
    await baselines.fanout(model, 20);
  },
  async fanout(model, count) {
    const draft = await model.complete({ messages: [{ role: 'user', content: 'Draft: a todo app' }] });
    const reviews = await Promise.all(
      Array.from({ length: count }, (_, i) => model.complete({ messages: [{ role: 'system', content: `Reviewer ${i + 1}` }, { role: 'user', content: `Review: ${draft.text}` }] })),
    );
    await model.complete({ messages: [{ role: 'user', content: `Summarize ${reviews.length} reviews` }] });
  },
};

/** Median wall time of `iterations` runs of the SOP file with a model answering after `latency` ms. */
async function timeSop(file, name, latency, iterations, first = 0) {
  const { sop } = await loadResolvedSop(file);
  const runDir = path.join(scratch, `${name}-${latency}`);
  return timeRuns(iterations, async (i) => {
    const result = await runSop(sop, {
      inputs: { idea: 'a todo app' },
      cwd: runDir,
      runsDir: path.join(runDir, 'runs'),
      workspace: path.join(runDir, 'ws'),
      model: latencyModel(latency),
      runId: `bench-${first + i}`,
    });
    if (result.status !== 'completed') throw new Error(`${name} ended ${result.status}`);
  });
}

/**
 * At 0 ms the figure is the steady state of a long-lived process (an eval, a worker): `warmup` runs
 * first, for sop and the baseline alike, until V8 has compiled the hot paths (W1's per-run time
 * halves over its first ~600 runs on Node 20); their median is kept as `firstTime`, the figure of a
 * process's first runs. At 50 ms the model's wait dwarfs that.
 */
async function measureWorkload(name, file, actions) {
  const rows = [];
  for (const latency of [0, 50]) {
    const iterations = latency === 0 ? (quick ? 20 : 200) : quick ? 2 : 5;
    const warmup = latency === 0 ? (quick ? 100 : 1000) : 0;
    const firstTime = warmup ? await timeSop(path.join(workloads, file), name, latency, warmup) : undefined;
    const sopTime = await timeSop(path.join(workloads, file), name, latency, iterations, warmup);
    if (warmup) await timeRuns(warmup, () => baselines[name](latencyModel(latency)));
    const baseTime = await timeRuns(iterations, () => baselines[name](latencyModel(latency)));
    rows.push({ latency, sopTime, baseTime, firstTime, warmup, overheadPerAction: (sopTime - baseTime) / actions });
  }
  return rows;
}

/**
 * W1's per-step figure in its two parts (printed, no target): what a run costs once, whatever its
 * length (its folder, journal, lock and report, the loop's start and end), and what each step
 * adds; from pipelines of 1 and 11 steps shaped as W1 (`pipelineSop`), taking turns, after W1's
 * warm-up. W1 per step is the first part over 5 plus the second.
 */
async function w1Parts() {
  const file = (steps) => {
    const sopFile = path.join(scratch, `pipeline-${steps}.yaml`);
    writeFileSync(sopFile, pipelineSop(steps));
    return sopFile;
  };
  const [short, long] = [file(1), file(11)];
  const shortTimes = [];
  const longTimes = [];
  const batch = quick ? 10 : 40;
  for (let turn = 0; turn < (quick ? 3 : 9); turn += 1) {
    shortTimes.push(await timeSop(short, 'pipeline-1', 0, batch, turn * batch));
    longTimes.push(await timeSop(long, 'pipeline-11', 0, batch, turn * batch));
  }
  const step = (median(longTimes) - median(shortTimes)) / 10;
  return { run: median(shortTimes) - step, step };
}

/** 1 -> 1000 reviewers -> 1 at 50 ms per call (ideal 150 ms), after one warm-up run. */
async function fanout1000() {
  const file = path.join(scratch, 'fanout-1000.yaml');
  writeFileSync(file, fanoutSop(1000));
  await timeSop(file, 'fanout-1000-warm', 50, 1);
  const iterations = quick ? 1 : 3;
  const sopTime = await timeSop(file, 'fanout-1000', 50, iterations);
  const baseTime = await timeRuns(iterations, () => baselines.fanout(latencyModel(50), 1000));
  return { sopTime, baseTime };
}

/** bench/measure-run.mjs in a fresh process: CPU, wall time and bytes written per run of `sopFile`. */
function measureInChild(sopFile, { nRound, durability, warmup, repeat, recordsIn = scratch }) {
  const dir = mkdtempSync(path.join(recordsIn, 'sop-bench-child-'));
  const args = JSON.stringify({ dist, sopFile, scratch: dir, nRound, durability, warmup, repeat });
  const child = spawnSync(process.execPath, [path.join(root, 'bench', 'measure-run.mjs'), args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  rmSync(dir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`measure-run exited ${child.status}: ${child.stderr.slice(0, 300)}`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

/** CPU per step of sequential runs of 5, 50 and 500 steps: a chain of N roles, and W5 (2-role loop) for N rounds. */
function sequentialScaling() {
  const plan = { 5: quick ? { warmup: 5, repeat: 11 } : { warmup: 20, repeat: 51 }, 50: quick ? { warmup: 1, repeat: 3 } : { warmup: 3, repeat: 7 }, 500: quick ? { warmup: 0, repeat: 1 } : { warmup: 1, repeat: 3 } };
  const chain = {};
  const loop = {};
  for (const steps of [5, 50, 500]) {
    const file = path.join(scratch, `chain-${steps}.yaml`);
    writeFileSync(file, chainSop(steps));
    chain[steps] = measureInChild(file, plan[steps]);
    loop[steps] = measureInChild(path.join(workloads, 'w5-loop.yaml'), { nRound: steps, ...plan[steps] });
  }
  return { chain, loop };
}

/** W1 per step with the record on tmpfs (/dev/shm), beside the disk figure: what the disk's waits cost. */
function w1OnTmpfs() {
  if (filesystemType('/dev/shm') !== 'tmpfs') return undefined;
  const row = measureInChild(path.join(workloads, 'w1-pipeline.yaml'), { warmup: 20, repeat: quick ? 21 : 101, recordsIn: '/dev/shm' });
  return { wallMs: row.wallMs / row.calls, cpuMs: row.cpuUs / 1000 / row.calls };
}

/**
 * W1 per step on disk with `durability: 'machine'` (the journal fdatasyncs each round boundary: a
 * power loss keeps every committed round), for builds whose record is a journal; undefined before.
 */
function w1MachineDurability() {
  const row = measureInChild(path.join(workloads, 'w1-pipeline.yaml'), { durability: 'machine', warmup: 5, repeat: quick ? 11 : 51 });
  if (!row.finalState?.source.includes('journal')) return undefined;
  return { wallMs: row.wallMs / row.calls, cpuMs: row.cpuUs / 1000 / row.calls };
}

/**
 * What this disk charges for the file operations of one W1 run's record, alone, in the folder W1's
 * runs were recorded in (as full as it was for them), right after them: create the run folder,
 * create its journal and append its first line, link the workspace's lock to it, append the six
 * lines of the rounds and the end, create `report.json`, close, unlink the lock. Creating a file or
 * a folder (an inode) is what costs on a busy VM disk (0.03 ms to over 0.5 ms each, from one minute
 * to the next), so the W1-on-disk target is printed with it (median µs of as many runs as W1 had).
 */
function diskFloor() {
  const runs = path.join(scratch, 'w1-0', 'runs');
  const line = `${JSON.stringify({ seq: 1, type: 'round-start', text: 'x'.repeat(560) })}\n`;
  const report = JSON.stringify({ runId: 'floor', text: 'x'.repeat(3500) }, null, 2);
  const lock = path.join(runs, '.workspace-floor.lock');
  const times = [];
  for (let index = 0; index < (quick ? 20 : 200); index += 1) {
    const folder = path.join(runs, `floor-${index}`);
    const start = performance.now();
    mkdirSync(folder);
    const fd = openSync(path.join(folder, 'journal.jsonl'), 'a');
    writeSync(fd, line);
    linkSync(path.join(folder, 'journal.jsonl'), lock);
    for (let write = 0; write < 6; write += 1) writeSync(fd, line);
    writeFileSync(path.join(folder, 'report.json'), report);
    closeSync(fd);
    unlinkSync(lock);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Start-up and the cold 5-step run, as fresh processes taking turns; peak RSS of the cold run. */
function processFigures() {
  const runs = quick ? 3 : 9;
  const baselineScript = path.join(scratch, 'baseline-cold.mjs');
  writeFileSync(baselineScript, `let t='a todo app'; const m=async(p)=>'answer to '+p.length; for (let s=1;s<=5;s++){ t = await m('Refine: '+t); }\n`);
  const coldRun = [sopCli, 'run', path.join(workloads, 'w1-pipeline.yaml'), 'a todo app',
    '--runs-dir', path.join(scratch, 'cold-runs'), '--workspace', path.join(scratch, 'cold-ws'), '--quiet'];
  const times = alternatingMedians({
    bare: ['-e', '0'],
    version: [sopCli, '--version'],
    validate: [sopCli, 'validate', path.join(build, 'sops', 'software-company.yaml')],
    baseline: [baselineScript],
    cold: coldRun,
  }, runs, scratch);
  const rssRuns = quick ? 1 : 3;
  return { ...times, runs, coldRssMb: peakRssMb(coldRun, rssRuns, scratch), baselineRssMb: peakRssMb([baselineScript], rssRuns, scratch) };
}

async function promptGrowth() {
  const { sop } = await loadResolvedSop(path.join(workloads, 'w4-conversation.yaml'));
  const model = latencyModel(0);
  const dir = path.join(scratch, 'w4');
  const result = await runSop(sop, { inputs: { idea: 'a todo app' }, cwd: dir, runsDir: path.join(dir, 'runs'), workspace: path.join(dir, 'ws'), model });
  const sizes = model.promptSizes;
  return { status: result.status, calls: sizes.length, first: sizes[2], last: sizes[sizes.length - 1] };
}

async function validation() {
  const { validateSopText } = await distModule('spec/index.js');
  const text = chainSop(200);
  const file = path.join(scratch, 'big.yaml');
  writeFileSync(file, text);
  await validateSopText(text, file); // warm: compiles the schema once, as a long-lived process would
  const warm = await timeRuns(quick ? 3 : 10, () => validateSopText(text, file));
  const start = performance.now();
  const child = spawnSync(process.execPath, [sopCli, 'validate', file], { encoding: 'utf8' });
  const coldValidate = { ms: performance.now() - start, exit: child.status };
  const bombFile = path.join(root, 'test', 'fixtures', 'bad', 'alias-bomb.yaml');
  const bombScript = `import { validateSopFile } from ${JSON.stringify(pathToFileURL(path.join(dist, 'index.js')).href)};
const start = performance.now(); const r = await validateSopFile(${JSON.stringify(bombFile)});
console.log(JSON.stringify({ ms: performance.now() - start, code: r.diagnostics[0]?.code, rssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const bombRun = spawnSync(process.execPath, ['--input-type=module', '-e', bombScript], { encoding: 'utf8' });
  const bomb = bombRun.status === 0 ? JSON.parse(bombRun.stdout) : { error: bombRun.stderr.slice(0, 300) };
  return { warm, coldValidate, bomb };
}

/** validateSopFile(file) in a fresh process: wall time, CPU time and peak RSS of that process (the library already loaded). */
function validateInChild(file) {
  const script = `import { validateSopFile } from ${JSON.stringify(pathToFileURL(path.join(dist, 'index.js')).href)};
const rssBefore = process.resourceUsage().maxRSS / 1024; const cpu = process.cpuUsage(); const start = performance.now();
const r = await validateSopFile(${JSON.stringify(file)});
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, code: r.diagnostics.find((d) => d.severity === 'error')?.code ?? 'valid', rssMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb: rssBefore }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return child.status === 0 ? JSON.parse(child.stdout) : { error: child.stderr.slice(0, 300) };
}

/** Hostile files (refused before they are read or parsed) and a 10,000-role SOP, each in a fresh process. */
function badInput() {
  const dir = path.join(scratch, 'bad');
  mkdirSync(path.join(dir, 'prompts'), { recursive: true });
  const MB = 1024 * 1024;
  const header = 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: bad, version: 1.0.0 }\n';
  const write = (name, text) => { writeFileSync(path.join(dir, name), text); return path.join(dir, name); };
  const sparse = (name, bytes) => { const fd = openSync(path.join(dir, name), 'w'); ftruncateSync(fd, bytes); closeSync(fd); };
  const small = chainSop(3);
  sparse('prompts/big.md', 1536 * MB);
  const files = [
    ['20 MB flow list `x: [1,1,...]`', write('list20.yaml', `${header}x: [${'1,'.repeat(10 * MB)}1]\n`)],
    ['20 MB double-quoted string', write('dq20.yaml', `${header}x: "${'a'.repeat(20 * MB)}"\n`)],
    ['7 MB flow list (under the size limit)', write('list7.yaml', `${header}x: [${'1,'.repeat(3.5 * MB)}1]\n`)],
    ['7 MB double-quoted string (under the size limit)', write('dq7.yaml', `${header}x: "${'a'.repeat(7 * MB)}"\n`)],
    ['1.5 GB prompt file', write('prompt.yaml', small.replace('prompt: "Work on {{ message.content }} for {{ inputs.idea }}"', 'prompt: { file: prompts/big.md }'))],
  ];
  const baseline = validateInChild(write('small.yaml', small));
  const hostile = files.map(([name, file]) => ({ name, ...validateInChild(file) }));
  const bigFile = write('roles10k.yaml', chainSop(10_000));
  const roles10k = validateInChild(bigFile);
  const parseFloor = spawnSync(process.execPath, ['--input-type=module', '-e', `import { parseDocument } from 'yaml'; import { readFileSync } from 'node:fs';
const text = readFileSync(${JSON.stringify(bigFile)}, 'utf8'); const cpu = process.cpuUsage(); const start = performance.now(); parseDocument(text, { uniqueKeys: false });
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024 }));`], { encoding: 'utf8', cwd: root });
  return { baseline, hostile, roles10k, parseFloor: parseFloor.status === 0 ? JSON.parse(parseFloor.stdout) : { error: parseFloor.stderr.slice(0, 300) }, bytes: readFileSync(bigFile).length };
}

/**
 * `sop test`'s cost per case (issue #12; no target, printed): 20 cases of W1 run by `runTestFile`
 * (one at a time: the test file loaded, a fresh temporary workspace and runs folder per case, the
 * scripted model, the journal read back, the expectations checked, the folder removed) against 20
 * bare `runSop` runs of W1 on the same scripted answers; then the CLI on the software-company test
 * file (a child process: start-up, 8 cases at the default concurrency, real test commands).
 */
async function sopTestOverhead() {
  const testing = await distModule(path.join('testing', 'index.js'));
  const { createScriptedModel } = await distModule(path.join('providers', 'script', 'index.js'));
  const cases = quick ? 5 : 20;
  const sopFile = path.join(workloads, 'w1-pipeline.yaml');
  const testFile = path.join(scratch, 'w1.test.yaml');
  const expect = '    expect: { status: completed, messages: [{ type: Step5, count: 1 }], path: [{ role: s1 }, { role: s5 }] }\n';
  writeFileSync(testFile, `apiVersion: sop-test/v1\nsop: ${JSON.stringify(sopFile)}\ndefaults: { inputs: { idea: a todo app } }\ncases:\n${Array.from({ length: cases }, (_, i) => `  - name: case ${i}\n${expect}`).join('')}`);
  const file = testing.loadTestFile(testFile);
  await testing.runTestFile(file, { concurrency: 1 }); // warm-up: compiled templates and schemas
  const started = performance.now();
  const result = await testing.runTestFile(file, { concurrency: 1 });
  const testMs = (performance.now() - started) / cases;
  if (result.cases.some((test) => test.status !== 'passed')) throw new Error('a W1 case failed');
  const { sop } = await loadResolvedSop(sopFile);
  const bare = await timeRuns(cases, async (i) => {
    const runDir = path.join(scratch, `test-bare-${i}`);
    await runSop(sop, { inputs: { idea: 'a todo app' }, cwd: runDir, runsDir: path.join(runDir, 'runs'), workspace: path.join(runDir, 'ws'), model: createScriptedModel(file.cases[0].script), runId: `bench-${i}` });
  });
  // Best of three (the machine's other work only adds), and what one start of the test command costs here.
  const runs = Array.from({ length: quick ? 1 : 3 }, () => {
    const started = performance.now();
    const cli = spawnSync(process.execPath, [sopCli, 'test', path.join(root, 'sops', 'software-company.yaml')], { cwd: root, encoding: 'utf8' });
    return { status: cli.status, seconds: (performance.now() - started) / 1000 };
  });
  const cliSeconds = Math.min(...runs.map((run) => run.seconds));
  const python = timeCommand(['python3', '-m', 'unittest', '--help']);
  return { cases, testMs, bareMs: bare, cliStatus: runs.find((run) => run.status !== 0)?.status ?? 0, cliSeconds, pythonMs: python };
}

/** Median wall time of a command (5 runs), in ms; undefined when it cannot run. */
function timeCommand([command, ...args]) {
  const times = [];
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now();
    if (spawnSync(command, args, { stdio: 'ignore' }).status !== 0) return undefined;
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2];
}

function buildName() {
  const head = spawnSync('git', ['-C', build, 'log', '-1', '--format=%h %cs'], { encoding: 'utf8' });
  return `${dist}${head.status === 0 ? ` (commit ${head.stdout.trim()})` : ''}`;
}

const fsType = filesystemType(scratch);
/** CPU ms per model call of a measured run: the least of its runs, as other work on the machine only adds to it. */
const cpuStep = (row) => row.cpuUsLeast / 1000 / row.calls;
const startLoad = loadavg().map((value) => value.toFixed(1)).join(' ');
const w1 = await attempt('W1', () => measureWorkload('w1', 'w1-pipeline.yaml', 5));
const floor = await attempt('disk floor', diskFloor);
const parts = await attempt('W1 in parts', w1Parts);
const w2 = await attempt('W2', () => measureWorkload('w2', 'w2-fanout.yaml', 22));
const tmpfs = await attempt('W1 on tmpfs', w1OnTmpfs);
const machine = await attempt('W1 with machine durability', w1MachineDurability);
const wide = await attempt('fan-out 1000', fanout1000);
/**
 * What telemetry costs (issue #14): off, the check of the OTEL_* variables and the small module that
 * makes it, timed in process against the cold W1 run; on, the cold W1 run with the SDK loaded and
 * its spans sent to a closed port (export fails fast: the SDK's load and the listener, no network).
 */
async function telemetryCost() {
  const { startTelemetry, telemetrySettings } = await distModule('telemetry/index.js');
  const checks = quick ? 2_000 : 20_000;
  const started = performance.now();
  for (let i = 0; i < checks; i += 1) await startTelemetry({ settings: telemetrySettings({}), warn: () => undefined });
  const offCheckMs = (performance.now() - started) / checks;
  const runs = quick ? 3 : 9;
  const coldRun = (name) => [sopCli, 'run', path.join(workloads, 'w1-pipeline.yaml'), 'a todo app', '--runs-dir', path.join(scratch, `${name}-runs`), '--workspace', path.join(scratch, `${name}-ws`), '--quiet'];
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
  const variants = {
    off: clean,
    on: { ...clean, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_TIMEOUT: '1000' },
  };
  const times = { off: [], on: [] };
  for (let round = 0; round < runs; round += 1) {
    for (const [name, env] of Object.entries(variants)) {
      const start = performance.now();
      const child = spawnSync(process.execPath, coldRun(name), { cwd: scratch, env, encoding: 'utf8' });
      times[name].push(performance.now() - start);
      if (child.status !== 0) throw new Error(`telemetry ${name} exited ${child.status}: ${child.stderr.slice(0, 300)}`);
    }
  }
  return { offCheckMs, checks, runs, offMs: median(times.off), onMs: median(times.on) };
}

const scaling = await attempt('sequential scaling', sequentialScaling);
const proc = await attempt('process figures', processFigures);
const growth = await attempt('W4', promptGrowth);
const valid = await attempt('validation', validation);
const offline = await attempt('offline model', offlineCall);
const bad = quick ? undefined : await attempt('bad input', badInput);
const testOverhead = await attempt('sop test overhead', sopTestOverhead);
const telemetry = await attempt('telemetry', telemetryCost);
const evals = await attempt('sop eval', () => evalFigures({ dist, scratch, sopFile: path.join(workloads, 'w1-pipeline.yaml'), quick }));
const html = await attempt('report.html', () => htmlReportFigures({ dist, scratch, sopFile: path.join(workloads, 'w4-conversation.yaml'), quick }));
const queued = await attempt('queued runs', () => queueFigures({ dist, scratch, quick }));
const peakRss = process.resourceUsage().maxRSS / 1024;

console.log(`\nsop benchmark (median of runs; event log on; 2-core machine figures in README)${quick ? ' --quick' : ''}`);
console.log(`build under test: ${buildName()}; Node ${process.version}; run records in ${scratch} (${fsType})`);
console.log(`${cpus().length} CPUs, load average at the start ${startLoad}, at the end ${loadavg().map((value) => value.toFixed(1)).join(' ')} (other work on the machine inflates every figure, the ratios least)\n`);
for (const [name, rows, ideal] of [['W1 5-step pipeline', w1, 250], ['W2 1 -> 20 reviewers -> 1', w2, 150]]) {
  for (const row of rows ?? []) {
    console.log(`${name} @${row.latency} ms: sop ${ms(row.sopTime)}  baseline ${ms(row.baseTime)}  ratio ${(row.sopTime / row.baseTime).toFixed(3)}x  overhead/action ${us(row.overheadPerAction)}${row.latency ? `  (ideal ${ideal} ms)` : `  (after ${row.warmup} warm-up runs, whose median was ${ms(row.firstTime)})`}`);
  }
}
if (floor !== undefined) console.log(`this disk (${fsType}): a W1 run's record file operations alone (a folder, 2 files, 7 appends, a lock link and unlink), in W1's runs folder after its runs: ${us(floor)} per run (${us(floor / 5)} per step)`);
if (parts) console.log(`W1 @0 ms in parts (W1-shaped pipelines of 1 and 11 steps, taking turns): each run ${us(parts.run)} once, whatever its length, and ${us(parts.step)} per step: W1 per step = ${us(parts.run / 5)} + ${us(parts.step)}`);
if (tmpfs) console.log(`W1 @0 ms with the record on tmpfs (/dev/shm, fresh process): ${us(tmpfs.wallMs)} per step wall, ${us(tmpfs.cpuMs)} CPU`);
console.log(`W1 @0 ms on disk with durability 'machine' (fdatasync per round boundary, fresh process): ${machine ? `${us(machine.wallMs)} per step wall, ${us(machine.cpuMs)} CPU` : 'n/a (this build has no run journal)'}`);
if (wide) console.log(`1 -> 1000 reviewers -> 1 @50 ms: sop ${ms(wide.sopTime)}  baseline ${ms(wide.baseTime)}  ratio ${(wide.sopTime / wide.baseTime).toFixed(3)}x  (ideal 150 ms)`);
if (proc) {
  console.log(`W3 cold start (process start, load, validate, run W1): sop ${ms(proc.cold)}  baseline ${ms(proc.baseline)}  ratio ${(proc.cold / proc.baseline).toFixed(2)}x  (bare node ${ms(proc.bare)}; medians of ${proc.runs} alternating runs)`);
  console.log(`start-up: sop --version ${ms(proc.version)}, sop validate sops/software-company.yaml ${ms(proc.validate)}; peak RSS of the cold W1 run ${proc.coldRssMb.toFixed(0)} MB (plain JS ${proc.baselineRssMb.toFixed(0)} MB)`);
}
if (scaling) {
  for (const [name, rows] of [['chain of N roles', scaling.chain], ['W5 2-role loop, N rounds', scaling.loop]]) {
    for (const [steps, row] of Object.entries(rows)) {
      const state = row.finalState ? `${kb(row.finalState.bytes)} (${row.finalState.source})` : 'unknown';
      console.log(`${name}, N=${steps}: ${row.calls} calls, ${row.status}; CPU per step ${us(cpuStep(row))} least, ${us(row.cpuUs / 1000 / row.calls)} median; wall ${ms(row.wallMs)}; bytes written ${kb(row.wcharBytes)}, final state ${state}; peak RSS ${row.maxRssMb.toFixed(0)} MB`);
    }
  }
}
if (growth) console.log(`W4 prompt size under memory window: ${growth.calls} calls, prompt chars at call 3 ${growth.first}, at the last call ${growth.last}, ratio ${(growth.last / growth.first).toFixed(2)}x (status ${growth.status})`);
if (valid) {
  console.log(`validate 200-role SOP: in-process ${ms(valid.warm)}; CLI cold ${ms(valid.coldValidate.ms)} (exit ${valid.coldValidate.exit})`);
  console.log(`alias bomb: ${valid.bomb.error ? `error ${valid.bomb.error}` : `refused (${valid.bomb.code}) in ${ms(valid.bomb.ms)}, peak RSS ${valid.bomb.rssMb.toFixed(0)} MB`}`);
}
if (bad) {
  const figure = (m) => m.error ? `error ${m.error}` : `${ms(m.ms)} (CPU ${ms(m.cpuMs)}), peak RSS ${m.rssMb.toFixed(0)} MB`;
  console.log(`bad input (each in a fresh process; baseline: a valid 3-role SOP ${figure(bad.baseline)}; targets: refused in < 1 s and < 150 MB RSS):`);
  for (const row of bad.hostile) {
    console.log(`  ${row.name}: ${row.error ? row.error : `${row.code} in ${figure(row)}; ${(row.ms / bad.baseline.ms).toFixed(2)}x the baseline's time, +${(row.rssMb - bad.baseline.rssMb).toFixed(0)} MB RSS`}`);
  }
  console.log(`validate 10,000-role SOP (${(bad.bytes / 1024 / 1024).toFixed(1)} MB; target < 1 s): ${bad.roles10k.code} in ${figure(bad.roles10k)}; the YAML parse alone ${bad.parseFloor.error ? bad.parseFloor.error : `${ms(bad.parseFloor.ms)} (CPU ${ms(bad.parseFloor.cpuMs)}, peak RSS ${bad.parseFloor.rssMb.toFixed(0)} MB); validation is ${(bad.roles10k.cpuMs / bad.parseFloor.cpuMs).toFixed(2)}x its CPU time`}`);
}
if (offline !== undefined) console.log(`offline model, a PRD-sized JSON answer: ${us(offline)} per call (target: well under 1 ms)`);
if (testOverhead) {
  const { cases, testMs, bareMs, cliStatus, cliSeconds } = testOverhead;
  console.log(`sop test, ${cases} cases of W1 in process: ${ms(testMs)} per case, bare runSop ${ms(bareMs)}: overhead ${ms(testMs - bareMs)} per case (printed, no target)`);
  console.log(`sop test sops/software-company.yaml (CLI, 8 cases, 21 runs of the python tests): ${cliSeconds.toFixed(2)} s wall, best of ${quick ? 1 : 3} (exit ${cliStatus}; target below); one \`python3 -m unittest\` start here: ${testOverhead.pythonMs === undefined ? 'n/a' : ms(testOverhead.pythonMs)}`);
}
if (telemetry) {
  console.log(`telemetry off: the OTEL_* check ${(telemetry.offCheckMs * 1000).toFixed(2)} µs per command (${(telemetry.offCheckMs / telemetry.offMs * 100).toFixed(4)} % of the cold W1 run, ${ms(telemetry.offMs)}); the cold W1 run with telemetry on (SDK loaded, spans to a closed port) ${ms(telemetry.onMs)}, ${(telemetry.onMs / telemetry.offMs).toFixed(2)}× the run with it off (medians of ${telemetry.runs} alternating runs)`);
}
if (evals) console.log(`sop eval, ${evals.cases} cases of W1 @${50} ms, --concurrency ${evals.concurrency}: ${ms(evals.wallMs)} (ideal ${ms(evals.idealMs)}); overhead per case (run, record, checks; 0 ms model, one at a time) ${ms(evals.overheadMs)}`);
console.log(`peak RSS of this benchmark process: ${peakRss.toFixed(0)} MB`);

const times = (value) => `${value.toFixed(2)}×`;
const w1Step = w1 && { sop: w1[0].sopTime / 5, plain: w1[0].baseTime / 5, first: w1[0].firstTime / 5, warmup: w1[0].warmup };
const flatness = (rows) => rows && cpuStep(rows[500]) / cpuStep(rows[5]);
const loop500 = scaling?.loop[500];
const targets = [
  target(`5-step pipeline, 0 ms model, record on disk (${fsType}), per step`, { value: w1Step && w1Step.sop * 1000, limit: 100, unit: ' µs',
    shown: w1Step && `${us(w1Step.sop)} (${times(w1Step.sop / w1Step.plain)} plain JS; after ${w1Step.warmup} warm-up runs, which took ${us(w1Step.first)})`, against: w1Step && `plain JS ${(w1Step.plain * 1000).toFixed(1)} µs${floor === undefined ? '' : `; this disk's cost of the record's file operations alone (a folder, 2 files, 7 appends, a lock link), measured after the runs: ${us(floor / 5)} per step`}` }),
  target('CPU per step (least of the runs), chain of 500 roles vs 5 roles', { value: flatness(scaling?.chain), limit: 1.2, unit: '×',
    shown: scaling && `${times(flatness(scaling.chain))} (${us(cpuStep(scaling.chain[500]))} vs ${us(cpuStep(scaling.chain[5]))})`, against: 'the 5-step figure' }),
  target('CPU per step (least of the runs), 2-role loop of 500 rounds vs 5 rounds', { value: flatness(scaling?.loop), limit: 1.2, unit: '×',
    shown: scaling && `${times(flatness(scaling.loop))} (${us(cpuStep(scaling.loop[500]))} vs ${us(cpuStep(scaling.loop[5]))})`, against: 'the 5-round figure' }),
  target('bytes written by a 500-round run vs its final state', { value: loop500?.finalState && loop500.wcharBytes / loop500.finalState.bytes, limit: 4, unit: '×',
    shown: loop500?.finalState && `${times(loop500.wcharBytes / loop500.finalState.bytes)} (${mb(loop500.wcharBytes)} written, /proc/self/io wchar)`, against: loop500?.finalState && `final state ${kb(loop500.finalState.bytes)}, ${loop500.finalState.source}` }),
  target('1 -> 20 -> 1 at 50 ms vs ideal', { value: w2 && w2[1].sopTime / 150, limit: 1.03, unit: '×',
    shown: w2 && `${times(w2[1].sopTime / 150)} (${ms(w2[1].sopTime)}; plain JS ${ms(w2[1].baseTime)})`, against: 'ideal 150 ms' }),
  target('1 -> 1000 -> 1 at 50 ms vs ideal', { value: wide && wide.sopTime / 150, limit: 1.1, unit: '×',
    shown: wide && `${times(wide.sopTime / 150)} (${ms(wide.sopTime)}; plain JS ${ms(wide.baseTime)})`, against: 'ideal 150 ms' }),
  target('sop --version vs node -e 0', { value: proc && proc.version / proc.bare, limit: 1.5, unit: '×',
    shown: proc && `${times(proc.version / proc.bare)} (${ms(proc.version)})`, against: proc && `node -e 0 ${ms(proc.bare)}` }),
  target('sop validate sops/software-company.yaml vs node -e 0', { value: proc && proc.validate / proc.bare, limit: 2.5, unit: '×',
    shown: proc && `${times(proc.validate / proc.bare)} (${ms(proc.validate)})`, against: proc && `node -e 0 ${ms(proc.bare)}` }),
  target('cold 5-step run (sop run W1) vs plain-JS cold start', { value: proc && proc.cold / proc.baseline, limit: 2, unit: '×',
    shown: proc && `${times(proc.cold / proc.baseline)} (${ms(proc.cold)})`, against: proc && `plain JS ${ms(proc.baseline)}` }),
  target('peak RSS of the cold 5-step run', { value: proc?.coldRssMb, limit: 80, unit: ' MB',
    shown: proc && `${proc.coldRssMb.toFixed(0)} MB`, against: proc && `plain JS ${proc.baselineRssMb.toFixed(0)} MB` }),
];
printTargets(targets);
if (flags.markdown) markdownTargets(targets);
const evalTargets = [
  target(`sop test sops/software-company.yaml (CLI, wall, best of ${quick ? 1 : 3})`, { value: testOverhead && testOverhead.cliStatus === 0 ? testOverhead.cliSeconds : undefined, limit: 2, unit: ' s',
    shown: testOverhead && `${testOverhead.cliSeconds.toFixed(2)} s (exit ${testOverhead.cliStatus})`, against: testOverhead && `21 python test runs, ${testOverhead.pythonMs === undefined ? 'python3 n/a' : `${ms(testOverhead.pythonMs)} per python3 start here`}; load average ${loadavg()[0].toFixed(1)}` }),
  target(`sop eval: ${evals?.cases ?? 100} cases at 50 ms, --concurrency ${evals?.concurrency ?? 8} vs ideal`, { value: evals && evals.wallMs / evals.idealMs, limit: 1.2, unit: '×',
    shown: evals && `${times(evals.wallMs / evals.idealMs)} (${ms(evals.wallMs)}; overhead per case ${ms(evals.overheadMs)})`, against: evals && `ideal ceil(100/8) × 5 calls × 50 ms = ${ms(evals.idealMs)}` }),
];
printTargets(evalTargets, console.log, 'issue #12 targets');
if (flags.markdown) markdownTargets(evalTargets);
const htmlTargets = [
  target(`report.html of a ${html?.rounds ?? 500}-round run (prompts recorded): build from the journal`, { value: html?.buildMs, limit: 2000, unit: ' ms',
    shown: html && `${ms(html.buildMs)} (page ${mb(html.pageBytes)}, journal ${mb(html.journalBytes)})` }),
  target('report.html of that run: open in headless Chromium until the timeline shows', { value: html?.openMs, limit: 3000, unit: ' ms',
    shown: html?.openMs === undefined ? undefined : ms(html.openMs), against: html && html.openMs === undefined ? 'chromium or playwright-core missing' : undefined }),
];
printTargets(htmlTargets, console.log, 'issue #14 targets');
if (flags.markdown) markdownTargets(htmlTargets);
const queueTargets = [
  target(`queued runs: ${queued?.runs ?? 60} runs (2 steps @200 ms), 3 workers vs 1: speed-up`, { value: queued && queued.threeWorkersMs > 0 ? 1 / (queued.oneWorkerMs / queued.threeWorkersMs) : undefined, limit: 1 / 2.5, unit: ' (1 / speed-up; target speed-up ≥ 2.5×)',
    shown: queued && `${times(queued.oneWorkerMs / queued.threeWorkersMs)} faster (${ms(queued.threeWorkersMs)} vs ${ms(queued.oneWorkerMs)})`, against: queued && `ideal 3× (1 worker's ideal ${ms(queued.runs * 2 * 200)})` }),
  target('queued run overhead per run over a local run (0 ms model, loopback Redis)', { value: queued?.overheadMs, limit: 10, unit: ' ms',
    shown: queued && `${ms(queued.overheadMs)} (queued ${ms(queued.queuedMs)}, local ${ms(queued.localMs)})`, against: 'runSop in this process' }),
];
printTargets(queueTargets, console.log, 'issue #15 targets');
if (flags.markdown) markdownTargets(queueTargets);
rmSync(scratch, { recursive: true, force: true });
