// `sop` as a library: the engine `sop run` uses, called from your own program.
//   node examples/library/run.mjs [FOLDER]    (run records and files go under FOLDER, default a new temporary one)
// In your own project, with the package installed (`npm install` of this repository's folder or its `npm pack` tarball), import from 'sop-runner' as below.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRuns, loadResolvedSop, readResumePoint, runSop } from 'sop-runner';

const folder = path.resolve(process.argv[2] ?? mkdtempSync(path.join(tmpdir(), 'sop-library-')));
const where = { cwd: folder, runsDir: path.join(folder, 'runs'), workspace: path.join(folder, 'workspace') };

// Load and validate the SOP once; a bad file throws a SopError with every diagnostic (file:line:col).
const { sop } = await loadResolvedSop(fileURLToPath(new URL('note.yaml', import.meta.url)));

// 1. A run on the built-in offline model (no key, no network), with progress from its events.
const offline = await runSop(sop, {
  ...where,
  inputs: { topic: 'tide pools' },
  onEvent: (event) => {
    if (event.type === 'action-end') console.log(`  ${event.role} ${event.action}: ${event.outcome} in ${event.durationMs} ms`);
  },
});
console.log(`offline run ${offline.runId}: ${offline.status}, ${offline.report.rounds} rounds, wrote ${offline.report.artifacts.map((file) => file.path).join(', ')}`);

// 2. Your own model: any object with `complete(request)` (wrap your HTTP client, a local model, a test double).
const shouting = {
  provider: 'shouting',
  capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
  async complete(request) {
    const asked = request.messages.at(-1).content;
    return { text: `# NOTE\n\n${asked.toUpperCase()}`, usage: { promptTokens: asked.length, completionTokens: asked.length, estimated: true }, model: 'shouting-1' };
  },
};
const own = await runSop(sop, { ...where, inputs: { topic: 'tide pools' }, model: shouting, modelName: 'shouting-1' });
console.log(`own model run: ${own.status}, ${own.report.usage.total.calls} calls, note.md begins "${readFileSync(path.join(own.workspace, 'note.md'), 'utf8').split('\n')[0]}"`);

// 3. Stop a run (an AbortSignal: a deadline, a cancelled job), then continue it from its journal.
const stop = new AbortController();
const stopped = await runSop(sop, {
  ...where,
  inputs: { topic: 'tide pools' },
  signal: stop.signal,
  onEvent: (event) => {
    if (event.type === 'round-end' && event.round === 1) stop.abort();
  },
});
console.log(`stopped run: ${stopped.status} after ${stopped.report.rounds} round(s); hint: ${stopped.report.hint}`);
const resumed = await runSop(sop, { ...where, inputs: {}, resume: { runDir: stopped.runDir, ...readResumePoint(stopped.runDir) } });
console.log(`resumed run ${resumed.runId}: ${resumed.status} after ${resumed.report.rounds} rounds`);

// The runs folder, as `sop runs --runs-dir` lists it.
for (const run of await listRuns(where.runsDir)) console.log(`  ${run.runId} ${run.status} ${run.rounds} rounds`);
