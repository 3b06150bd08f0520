// `node bench/journal.mjs [--dist DIR]`: what the durable run record costs. For a two-role loop of
// 5, 50 and 500 rounds (bench/workloads/w4-conversation.yaml, a 0 ms model) it prints the bytes the
// process wrote during the run (/proc/self/io `wchar`), the journal's size, the final state's size
// (the whole state a resume needs, `resumeStateBytes`; builds before it: the last snapshot, or
// checkpoint.json for a record without a journal) and their ratio, and the run's
// CPU time per round. `--dist` measures another build (e.g. an older commit's dist/). Linux only.
import { readFileSync, readdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const distArg = process.argv.indexOf('--dist');
const dist = distArg === -1 ? path.join(root, 'dist') : path.resolve(process.argv[distArg + 1]);
const { loadResolvedSop, runSop } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
// The whole state a resume needs (snapshots name messages by seq since 2026-12-03; before, the last snapshot line held it all).
const { resumeStateBytes } = await import(pathToFileURL(path.join(dist, 'runtime', 'resume-point.js')).href).catch(() => ({}));

const scratch = mkdtempSync(path.join(tmpdir(), 'sop-journal-bench-'));
const wchar = () => Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
const model = {
  provider: 'bench',
  capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
  async complete(request) {
    const prompt = request.messages.map((m) => m.content).join('\n');
    return { text: `answer to ${prompt.length} chars`, usage: { promptTokens: 10, completionTokens: 5, estimated: true }, model: 'bench' };
  },
};

/**
 * The final state's size (the journal's last snapshot line, else an old record's checkpoint.json)
 * and the bytes of the state records (round-commits and snapshots; null for an old record).
 */
function stateBytes(runDir) {
  let lines;
  try {
    lines = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').trimEnd().split('\n');
  } catch {
    return { final: statSync(path.join(runDir, 'checkpoint.json')).size, records: null };
  }
  const size = (line) => Buffer.byteLength(line) + 1;
  const state = lines.filter((line) => /^\{"seq":\d+,"type":"(snapshot|round-commit)"/.test(line));
  const snapshots = state.filter((line) => line.includes('"type":"snapshot"'));
  return { final: resumeStateBytes ? resumeStateBytes(runDir) : size(snapshots.at(-1)), records: state.reduce((sum, line) => sum + size(line), 0), snapshots: snapshots.length };
}

const { sop } = await loadResolvedSop(path.join(root, 'bench', 'workloads', 'w4-conversation.yaml'));
console.log(`dist: ${dist}`);
console.log('rounds | bytes written | record on disk | final state | written / final state | commits + snapshots / final state (snapshots) | CPU µs per round');
for (const rounds of [5, 50, 500]) {
  const dir = path.join(scratch, String(rounds));
  // One warm-up run so the figures do not include loading and compiling.
  await runSop(sop, { inputs: { idea: 'x' }, cwd: dir, runsDir: path.join(dir, 'warm'), workspace: path.join(dir, 'ws'), model, nRound: rounds });
  const written = wchar();
  const cpu = process.cpuUsage();
  const result = await runSop(sop, { inputs: { idea: 'x' }, cwd: dir, runsDir: path.join(dir, 'runs'), workspace: path.join(dir, 'ws'), model, nRound: rounds });
  const used = process.cpuUsage(cpu);
  const bytes = wchar() - written;
  const onDisk = readdirSync(result.runDir).reduce((sum, name) => sum + statSync(path.join(result.runDir, name)).size, 0);
  const state = stateBytes(result.runDir);
  const cpuPerRound = (used.user + used.system) / result.report.rounds;
  const records = state.records === null ? 'n/a' : `${(state.records / state.final).toFixed(2)} (${state.snapshots})`;
  console.log(`${rounds} | ${bytes} | ${onDisk} | ${state.final} | ${(bytes / state.final).toFixed(2)} | ${records} | ${cpuPerRound.toFixed(0)}`);
}
