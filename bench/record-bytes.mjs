// `node bench/record-bytes.mjs [--dist DIR] [--rounds N]`: where the bytes of a W5 run (2-role loop,
// 0 ms model, bench/workloads/w5-loop.yaml) go. Prints the bytes written (/proc/self/io wchar),
// the whole state a resume needs (`resumeStateBytes`; for a build without it, the last snapshot
// line, which then holds every message whole), their ratio, and the journal's bytes per line type.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { latencyModel } from './lib/models.mjs';
import { finalStateBytes } from './lib/run-record.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const dist = path.resolve(arg('--dist', path.join(root, 'dist')));
const rounds = Number(arg('--rounds', 500));
const { loadResolvedSop, runSop } = await import(pathToFileURL(path.join(dist, 'index.js')).href);
const resumePoint = await import(pathToFileURL(path.join(dist, 'runtime', 'resume-point.js')).href);
const wchar = () => Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);

const { sop } = await loadResolvedSop(path.join(root, 'bench', 'workloads', 'w5-loop.yaml'));
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-record-bytes-'));
const run = (name) => runSop(sop, { inputs: { idea: 'a todo app' }, cwd: scratch, runsDir: path.join(scratch, name), workspace: path.join(scratch, 'ws'), model: latencyModel(0), nRound: rounds });
await run('warm');
const before = wchar();
const result = await run('runs');
const written = wchar() - before;
const state = resumePoint.resumeStateBytes ? resumePoint.resumeStateBytes(result.runDir) : finalStateBytes(result.runDir).bytes;
const byType = {};
for (const line of readFileSync(path.join(result.runDir, 'journal.jsonl'), 'utf8').trimEnd().split('\n')) {
  const { type } = JSON.parse(line);
  byType[type] = (byType[type] ?? 0) + Buffer.byteLength(line) + 1;
}
console.log(`dist ${dist}, ${rounds} rounds: ${written} bytes written, whole state ${state} bytes: ${(written / state).toFixed(2)}x`);
for (const [type, bytes] of Object.entries(byType).sort((a, b) => b[1] - a[1])) console.log(`  ${type.padEnd(18)} ${String(bytes).padStart(8)}  ${(bytes / state).toFixed(2)}x`);
rmSync(scratch, { recursive: true, force: true });
