// `npm run bench`: the peer workloads, measured against a plain async JavaScript baseline making the
// same model calls in the same process. Prints figures and ratios; asserts nothing (see README).
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadResolvedSop, runSop } from '../dist/index.js';
import { validateSopText } from '../dist/spec/index.js';
import { createOfflineModel } from '../dist/providers/offline/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const workloads = path.join(root, 'bench', 'workloads');
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-bench-'));
const quick = process.argv.includes('--quick');

/** Median time of one offline-model call answering a JSON contract (what every offline run makes). */
async function offlineCall() {
  const model = createOfflineModel();
  const schema = { type: 'object', required: ['title', 'goals', 'stories'], properties: { title: { type: 'string' }, goals: { type: 'array', items: { type: 'string' } }, stories: { type: 'array', items: { type: 'object', required: ['as', 'want'], properties: { as: { type: 'string' }, want: { type: 'string' } } } } } };
  const request = {
    model: 'offline',
    messages: [{ role: 'system', content: 'You are a product manager.' }, { role: 'user', content: 'Write a PRD.\n\nRequirement: a command-line todo app.' }],
    responseSchema: { name: 'PRD', schema },
    purpose: { kind: 'action', role: 'pm', action: 'write_prd', format: 'json', outputType: 'PRD', language: undefined, artifactPaths: [], attempt: 1 },
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(2)} ms`;
const us = (value) => `${(value * 1000).toFixed(0)} µs`;

/** A model that answers after a fixed latency; records prompt sizes. */
function latencyModel(latencyMs) {
  const promptSizes = [];
  return {
    provider: 'bench',
    capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
    promptSizes,
    async complete(request) {
      const prompt = request.messages.map((m) => m.content).join('\n');
      promptSizes.push(prompt.length);
      if (latencyMs > 0) await sleep(latencyMs);
      return { text: `answer to ${prompt.length} chars`, usage: { promptTokens: 10, completionTokens: 5, estimated: true }, model: 'bench' };
    },
  };
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
    const draft = await model.complete({ messages: [{ role: 'user', content: 'Draft: a todo app' }] });
    const reviews = await Promise.all(
      Array.from({ length: 20 }, (_, i) => model.complete({ messages: [{ role: 'system', content: `Reviewer ${i + 1}` }, { role: 'user', content: `Review: ${draft.text}` }] })),
    );
    await model.complete({ messages: [{ role: 'user', content: `Summarize ${reviews.length} reviews` }] });
  },
};

async function timeRuns(iterations, fn) {
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  return median(times);
}

async function measureWorkload(name, file, actions) {
  const { sop } = await loadResolvedSop(path.join(workloads, file));
  const rows = [];
  for (const latency of [0, 50]) {
    const iterations = latency === 0 ? (quick ? 20 : 200) : quick ? 2 : 5;
    const runDir = path.join(scratch, `${name}-${latency}`);
    const sopTime = await timeRuns(iterations, async (i) => {
      const result = await runSop(sop, {
        inputs: { idea: 'a todo app' },
        cwd: runDir,
        runsDir: path.join(runDir, 'runs'),
        workspace: path.join(runDir, 'ws'),
        model: latencyModel(latency),
        runId: `bench-${i}`,
      });
      if (result.status !== 'completed') throw new Error(`${name} ended ${result.status}`);
    });
    const baseTime = await timeRuns(iterations, () => baselines[name](latencyModel(latency)));
    rows.push({ latency, sopTime, baseTime, overheadPerAction: (sopTime - baseTime) / actions });
  }
  return rows;
}

function coldStart() {
  const runs = quick ? 3 : 7;
  const cli = [path.join(root, 'bin', 'sop.js'), 'run', path.join(workloads, 'w1-pipeline.yaml'), 'a todo app',
    '--runs-dir', path.join(scratch, 'cold-runs'), '--workspace', path.join(scratch, 'cold-ws'), '--quiet'];
  const baselineScript = path.join(scratch, 'baseline-cold.mjs');
  writeFileSync(baselineScript, `let t='a todo app'; const m=async(p)=>'answer to '+p.length; for (let s=1;s<=5;s++){ t = await m('Refine: '+t); }\n`);
  const time = (args) => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`cold start failed (${child.status}): ${child.stderr}`);
      times.push(performance.now() - start);
    }
    return median(times);
  };
  const bare = time(['-e', '0']);
  const baseline = time([baselineScript]);
  const sop = time(cli);
  return { bare, baseline, sop };
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
  const roles = Array.from({ length: 200 }, (_, i) => {
    const next = i === 199 ? 'Done' : `Step${i + 1}`;
    return `  role_${i}:\n    profile: Role ${i}\n    watch: [${i === 0 ? 'UserRequirement' : `Step${i}`}]\n    actions:\n      - id: act_${i}\n        prompt: "Work on {{ message.content }} for {{ inputs.idea }}"\n        output: { type: ${next} }\n`;
  });
  const messages = ['  UserRequirement: { description: the idea }', '  Done: { description: finished }',
    ...Array.from({ length: 199 }, (_, i) => `  Step${i + 1}: { description: step ${i + 1} }`)];
  const text = `apiVersion: sop/v1\nkind: SOP\nmetadata: { name: big, version: 1.0.0 }\nmessages:\n${messages.join('\n')}\nstart: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]\nroles:\n${roles.join('')}stop_when: { type: Done }\n`;
  const file = path.join(scratch, 'big.yaml');
  writeFileSync(file, text);
  await validateSopText(text, file); // warm: compiles the schema once, as a long-lived process would
  const warm = await timeRuns(quick ? 3 : 10, () => validateSopText(text, file));
  const cli = (target) => {
    const start = performance.now();
    const child = spawnSync('/usr/bin/env', ['bash', '-c', `node "${path.join(root, 'bin', 'sop.js')}" validate "${target}" >/dev/null 2>&1; echo $?`], { encoding: 'utf8' });
    return { ms: performance.now() - start, exit: Number(child.stdout.trim()) };
  };
  const coldValidate = cli(file);
  const bombFile = path.join(root, 'test', 'fixtures', 'bad', 'alias-bomb.yaml');
  const bombScript = `import { validateSopFile } from ${JSON.stringify(path.join(root, 'dist', 'index.js'))};
const start = performance.now(); const r = await validateSopFile(${JSON.stringify(bombFile)});
console.log(JSON.stringify({ ms: performance.now() - start, code: r.diagnostics[0]?.code, rssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const bombRun = spawnSync(process.execPath, ['--input-type=module', '-e', bombScript], { encoding: 'utf8' });
  const bomb = bombRun.status === 0 ? JSON.parse(bombRun.stdout) : { error: bombRun.stderr.slice(0, 300) };
  return { warm, coldValidate, bomb };
}

/** A chain of `count` roles, each watching the previous one's message type (the shape of the 200-role SOP above). */
function chainSop(count) {
  const roles = Array.from({ length: count }, (_, i) => {
    const next = i === count - 1 ? 'Done' : `Step${i + 1}`;
    return `  role_${i}:\n    profile: Role ${i}\n    watch: [${i === 0 ? 'UserRequirement' : `Step${i}`}]\n    actions:\n      - id: act_${i}\n        prompt: "Work on {{ message.content }} for {{ inputs.idea }}"\n        output: { type: ${next} }\n`;
  });
  const messages = ['  UserRequirement: { description: the idea }', '  Done: { description: finished }',
    ...Array.from({ length: count - 1 }, (_, i) => `  Step${i + 1}: { description: step ${i + 1} }`)];
  return `apiVersion: sop/v1\nkind: SOP\nmetadata: { name: big, version: 1.0.0 }\nmessages:\n${messages.join('\n')}\nstart: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]\nroles:\n${roles.join('')}stop_when: { type: Done }\n`;
}

/** validateSopFile(file) in a fresh process: wall time, CPU time and peak RSS of that process (the library already loaded). */
function validateInChild(file) {
  const script = `import { validateSopFile } from ${JSON.stringify(path.join(root, 'dist', 'index.js'))};
const rssBefore = process.resourceUsage().maxRSS / 1024; const cpu = process.cpuUsage(); const start = performance.now();
const r = await validateSopFile(${JSON.stringify(file)});
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({ ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, code: r.diagnostics.find((d) => d.severity === 'error')?.code ?? 'valid', rssMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb: rssBefore }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return child.status === 0 ? JSON.parse(child.stdout) : { error: child.stderr.slice(0, 300) };
}

/** Item 8: hostile files (refused before they are read or parsed) and a 10,000-role SOP, each in a fresh process. */
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

const w1 = await measureWorkload('w1', 'w1-pipeline.yaml', 5);
const w2 = await measureWorkload('w2', 'w2-fanout.yaml', 22);
const cold = coldStart();
const growth = await promptGrowth();
const valid = await validation();
const offline = await offlineCall();
const bad = badInput();
const peakRss = process.resourceUsage().maxRSS / 1024;

console.log('sop benchmark (median of runs; event log on; 2-core machine figures in README)\n');
for (const [name, rows, ideal] of [['W1 5-step pipeline', w1, 250], ['W2 1 -> 20 reviewers -> 1', w2, 150]]) {
  for (const row of rows) {
    console.log(`${name} @${row.latency} ms: sop ${ms(row.sopTime)}  baseline ${ms(row.baseTime)}  ratio ${(row.sopTime / row.baseTime).toFixed(3)}x  overhead/action ${us(row.overheadPerAction)}${row.latency ? `  (ideal ${ideal} ms)` : ''}`);
  }
}
console.log(`W3 cold start (process start, load, validate, run W1): sop ${ms(cold.sop)}  baseline ${ms(cold.baseline)}  ratio ${(cold.sop / cold.baseline).toFixed(2)}x  (bare node ${ms(cold.bare)})`);
console.log(`W4 prompt size under memory window: ${growth.calls} calls, prompt chars at call 3 ${growth.first}, at the last call ${growth.last}, ratio ${(growth.last / growth.first).toFixed(2)}x (status ${growth.status})`);
console.log(`validate 200-role SOP: in-process ${ms(valid.warm)}; CLI cold ${ms(valid.coldValidate.ms)} (exit ${valid.coldValidate.exit})`);
console.log(`alias bomb: ${valid.bomb.error ? `error ${valid.bomb.error}` : `refused (${valid.bomb.code}) in ${ms(valid.bomb.ms)}, peak RSS ${valid.bomb.rssMb.toFixed(0)} MB`}`);
const figure = (m) => m.error ? `error ${m.error}` : `${ms(m.ms)} (CPU ${ms(m.cpuMs)}), peak RSS ${m.rssMb.toFixed(0)} MB`;
console.log(`bad input (each in a fresh process; baseline: a valid 3-role SOP ${figure(bad.baseline)}; targets: refused in < 1 s and < 150 MB RSS):`);
for (const row of bad.hostile) {
  console.log(`  ${row.name}: ${row.error ? row.error : `${row.code} in ${figure(row)}; ${(row.ms / bad.baseline.ms).toFixed(2)}x the baseline's time, +${(row.rssMb - bad.baseline.rssMb).toFixed(0)} MB RSS`}`);
}
console.log(`validate 10,000-role SOP (${(bad.bytes / 1024 / 1024).toFixed(1)} MB; target < 1 s): ${bad.roles10k.code} in ${figure(bad.roles10k)}; the YAML parse alone ${bad.parseFloor.error ? bad.parseFloor.error : `${ms(bad.parseFloor.ms)} (CPU ${ms(bad.parseFloor.cpuMs)}, peak RSS ${bad.parseFloor.rssMb.toFixed(0)} MB); validation is ${(bad.roles10k.cpuMs / bad.parseFloor.cpuMs).toFixed(2)}x its CPU time`}`);
console.log(`offline model, a PRD-sized JSON answer: ${us(offline)} per call (target: well under 1 ms)`);
console.log(`peak RSS of this benchmark process: ${peakRss.toFixed(0)} MB`);
rmSync(scratch, { recursive: true, force: true });
