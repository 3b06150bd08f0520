// `node bench/steps.mjs [--quick] [--dist DIR]` (after `npm run build`): CPU per step and bytes written as a run gets longer,
// for a chain of N roles (one step per round, each role a different one) and a 2-role loop of N
// rounds, N = 5, 50, 500, with a 0 ms in-process model and the record on the real disk. A flat
// CPU figure means no round costs more than the one before (target: 500 steps <= 1.2x 5 steps).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// `--dist DIR` measures another build (e.g. an older commit's dist/).
const distArg = process.argv.indexOf('--dist');
const dist = distArg === -1 ? path.join(root, 'dist') : path.resolve(process.argv[distArg + 1]);
const { loadResolvedSop, runSop } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const scratch = mkdtempSync(path.join(process.env['SOP_BENCH_DIR'] ?? path.join(root, '.sop'), 'bench-steps-'));
const quick = process.argv.includes('--quick');

function chainSop(count) {
  const roles = Array.from({ length: count }, (_, i) => {
    const next = i === count - 1 ? 'Done' : `Step${i + 1}`;
    return `  role_${i}:\n    profile: Role ${i}\n    watch: [${i === 0 ? 'UserRequirement' : `Step${i}`}]\n    memory: { policy: none }\n    actions:\n      - id: act_${i}\n        prompt: "Work on {{ message.content }} for {{ inputs.idea }}"\n        output: { type: ${next} }\n`;
  });
  const messages = ['  UserRequirement: { description: the idea }', '  Done: { description: finished }', ...Array.from({ length: count - 1 }, (_, i) => `  Step${i + 1}: { description: step ${i + 1} }`)];
  return `apiVersion: sop/v1\nkind: SOP\nmetadata: { name: chain, version: 1.0.0 }\nsettings: { n_round: ${count + 5} }\nmessages:\n${messages.join('\n')}\nstart: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]\nroles:\n${roles.join('')}stop_when: { type: Done }\n`;
}

function loopSop(rounds) {
  return `apiVersion: sop/v1\nkind: SOP\nmetadata: { name: loop, version: 1.0.0 }\nsettings: { n_round: ${rounds} }\nmessages:\n  UserRequirement: { description: idea }\n  Ping: { description: ping }\n  Pong: { description: pong }\nstart: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]\nroles:\n  a:\n    profile: A\n    watch: [UserRequirement, Pong]\n    actions: [{ id: ping, prompt: "Ping {{ message.content }}", output: { type: Ping } }]\n  b:\n    profile: B\n    watch: [Ping]\n    actions: [{ id: pong, prompt: "Pong {{ message.content }}", output: { type: Pong } }]\n`;
}

const model = {
  provider: 'bench',
  capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
  async complete() {
    return { text: 'ok', usage: { promptTokens: 10, completionTokens: 5, estimated: true }, model: 'bench' };
  },
};

/** Bytes this process wrote so far (Linux); undefined elsewhere. */
function bytesWritten() {
  try {
    return Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(name, text, steps) {
  const file = path.join(scratch, `${name}.yaml`);
  writeFileSync(file, text);
  const { sop } = await loadResolvedSop(file);
  const reps = steps >= 500 ? (quick ? 1 : 3) : quick ? 3 : 9;
  const cpu = [];
  const bytes = [];
  for (let rep = 0; rep <= reps; rep += 1) {
    const dir = path.join(scratch, `${name}-${rep}`);
    const before = bytesWritten();
    const started = process.cpuUsage();
    const result = await runSop(sop, { inputs: { idea: 'x' }, cwd: dir, runsDir: path.join(dir, 'runs'), workspace: path.join(dir, 'ws'), model, runId: `r${rep}` });
    const used = process.cpuUsage(started);
    if (result.report.rounds !== steps) throw new Error(`${name}: ${result.report.rounds} rounds, expected ${steps}`);
    if (rep === 0) continue; // warm-up
    cpu.push((used.user + used.system) / steps);
    if (before !== undefined) bytes.push((bytesWritten() ?? 0) - before);
  }
  return { name, steps, cpuUsPerStep: Math.round(median(cpu)), bytesWritten: bytes.length > 0 ? median(bytes) : null };
}

// Warm the process up first (module loading, JIT), so the first row does not pay for it.
for (let rep = 0; rep < 3; rep += 1) await measure(`warm${rep}-5`, loopSop(5), 5);
const rows = [];
for (const [kind, make] of [['chain', chainSop], ['loop', loopSop]]) {
  for (const steps of [5, 50, 500]) rows.push(await measure(`${kind}-${steps}`, make(steps), steps));
}
rmSync(scratch, { recursive: true, force: true });
console.log('| run | steps | CPU µs per step | vs 5 steps | bytes written |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const base = rows.find((other) => other.name.split('-')[0] === row.name.split('-')[0] && other.steps === 5);
  const ratio = (row.cpuUsPerStep / base.cpuUsPerStep).toFixed(2);
  console.log(`| ${row.name.split('-')[0]} | ${row.steps} | ${row.cpuUsPerStep} | ${ratio}x${row.steps === 500 ? (Number(ratio) <= 1.2 ? ' (target <= 1.2x: met)' : ' (target <= 1.2x: not met)') : ''} | ${row.bytesWritten ?? 'n/a'} |`);
}
