// `sop runs` over a runs folder of many runs (the folder of a project that has run for months):
// one real run of the software-company SOP, copied under new ids and start times, then the wall
// time of `sop runs` and `sop runs --limit 20`, medians of fresh processes taking turns.
//   node bench/runs-listing.mjs [--runs 3000] [--rounds 5] [--dist DIR] [--before OLD/dist]
// --before: a second build measured in the same rounds, taking turns with this one, so a
// before/after comparison sees the same load on a shared machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alternatingMedians } from './lib/child-timing.mjs';
import { ms } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '5' }, dist: { type: 'string' }, before: { type: 'string' } } });
const builds = { after: path.dirname(path.resolve(flags.dist ?? path.join(root, 'dist'))) };
if (flags.before) builds.before = path.dirname(path.resolve(flags.before));
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-runs-listing-'));
const runsDir = path.join(scratch, '.sop', 'runs');

const made = spawnSync(process.execPath, [path.join(builds.after, 'bin', 'sop.js'), 'run', path.join(root, 'sops', 'software-company.yaml'), 'a todo app', '--quiet'], { cwd: scratch, encoding: 'utf8' });
if (made.status !== 0) throw new Error(`the run to copy exited ${made.status}: ${made.stderr.slice(0, 300)}`);
const [original] = readdirSync(runsDir);
const files = Object.fromEntries(readdirSync(path.join(runsDir, original)).map((name) => [name, readFileSync(path.join(runsDir, original, name), 'utf8')]));
const started = JSON.parse(files['journal.jsonl'].split('\n', 1)[0]).started;
const epoch = Date.UTC(2026, 10, 1);
for (let index = 0; index < Number(flags.runs); index += 1) {
  const at = new Date(epoch + index * 37_000).toISOString();
  const id = `${at.slice(0, 10).replaceAll('-', '')}-${at.slice(11, 19).replaceAll(':', '')}-${index.toString(16).padStart(6, '0')}`;
  mkdirSync(path.join(runsDir, id));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(runsDir, id, name), text.replaceAll(original, id).replaceAll(started, at));
}

const commands = {};
for (const [name, build] of Object.entries(builds)) {
  commands[`${name}.all`] = [path.join(build, 'bin', 'sop.js'), 'runs'];
  commands[`${name}.limit`] = [path.join(build, 'bin', 'sop.js'), 'runs', '--limit', '20'];
}
const t = alternatingMedians(commands, Number(flags.rounds), scratch);
console.log(`sop runs of ${Number(flags.runs) + 1} runs: medians of ${flags.rounds} rounds taking turns`);
for (const [name, build] of Object.entries(builds)) {
  console.log(`${name} (${build}): sop runs ${ms(t[`${name}.all`])}; sop runs --limit 20 ${ms(t[`${name}.limit`])}`);
}
rmSync(scratch, { recursive: true, force: true });
