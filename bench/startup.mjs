// Start-up figures alone (the `npm run bench` rows for `sop --version`, `sop validate` and the cold
// W1 run, with their baselines), in a few seconds rather than the whole bench's minute.
//   node bench/startup.mjs [--runs N] [--dist DIR] [--before DIR]
// --before DIR: a second build (its dist/ folder) measured in the same rounds, taking turns with
// this one, so a before/after comparison sees the same load on a shared machine.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alternatingMedians, peakRssMb } from './lib/child-timing.mjs';
import { ms } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '9' }, dist: { type: 'string' }, before: { type: 'string' } } });
const builds = { after: path.dirname(path.resolve(flags.dist ?? process.env.SOP_BENCH_DIST ?? path.join(root, 'dist'))) };
if (flags.before) builds.before = path.dirname(path.resolve(flags.before));
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-startup-'));
const baselineScript = path.join(scratch, 'baseline-cold.mjs');
// The same baseline and commands as bench/run.mjs's processFigures.
writeFileSync(baselineScript, `let t='a todo app'; const m=async(p)=>'answer to '+p.length; for (let s=1;s<=5;s++){ t = await m('Refine: '+t); }\n`);
const coldRun = (build, name) => [path.join(build, 'bin', 'sop.js'), 'run', path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml'), 'a todo app',
  '--runs-dir', path.join(scratch, name, 'runs'), '--workspace', path.join(scratch, name, 'ws'), '--quiet'];
const commands = { bare: ['-e', '0'], baseline: [baselineScript] };
for (const [name, build] of Object.entries(builds)) {
  commands[`${name}.version`] = [path.join(build, 'bin', 'sop.js'), '--version'];
  commands[`${name}.validate`] = [path.join(build, 'bin', 'sop.js'), 'validate', path.join(build, 'sops', 'software-company.yaml')];
  commands[`${name}.cold`] = coldRun(build, name);
}
const t = alternatingMedians(commands, Number(flags.runs), scratch);
console.log(`node -e 0 ${ms(t.bare)}; plain-JS cold ${ms(t.baseline)}; medians of ${flags.runs} rounds taking turns`);
for (const [name, build] of Object.entries(builds)) {
  const rss = peakRssMb(coldRun(build, `${name}-rss`), 3, scratch);
  console.log(`${name} (${build}):`);
  console.log(`  sop --version ${ms(t[`${name}.version`])}  ${(t[`${name}.version`] / t.bare).toFixed(2)}x node -e 0  (target <= 1.5x)`);
  console.log(`  sop validate  ${ms(t[`${name}.validate`])}  ${(t[`${name}.validate`] / t.bare).toFixed(2)}x node -e 0  (target <= 2.5x)`);
  console.log(`  cold W1 run   ${ms(t[`${name}.cold`])}  ${(t[`${name}.cold`] / t.baseline).toFixed(2)}x plain JS  (target <= 2x); peak RSS ${rss.toFixed(0)} MB (target <= 80)`);
}
rmSync(scratch, { recursive: true, force: true });
