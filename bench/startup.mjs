// Start-up figures alone (the `npm run bench` rows for `sop --version`, `sop validate` and the cold
// W1 run, with their baselines), in ~15 s instead of the whole bench's minute.
//   node bench/startup.mjs [--runs N] [--dist DIR]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alternatingMedians, peakRssMb } from './lib/child-timing.mjs';
import { ms } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '9' }, dist: { type: 'string' } } });
const build = path.dirname(path.resolve(flags.dist ?? process.env.SOP_BENCH_DIST ?? path.join(root, 'dist')));
const sopCli = path.join(build, 'bin', 'sop.js');
const scratch = mkdtempSync(path.join(tmpdir(), 'sop-startup-'));
const baselineScript = path.join(scratch, 'baseline-cold.mjs');
// The same baseline and commands as bench/run.mjs's processFigures.
writeFileSync(baselineScript, `let t='a todo app'; const m=async(p)=>'answer to '+p.length; for (let s=1;s<=5;s++){ t = await m('Refine: '+t); }\n`);
const coldRun = [sopCli, 'run', path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml'), 'a todo app',
  '--runs-dir', path.join(scratch, 'cold-runs'), '--workspace', path.join(scratch, 'cold-ws'), '--quiet'];
const t = alternatingMedians({
  bare: ['-e', '0'],
  version: [sopCli, '--version'],
  validate: [sopCli, 'validate', path.join(build, 'sops', 'software-company.yaml')],
  baseline: [baselineScript],
  cold: coldRun,
}, Number(flags.runs), scratch);
const rss = peakRssMb(coldRun, 3, scratch);
console.log(`node -e 0 ${ms(t.bare)}; plain-JS cold ${ms(t.baseline)}`);
console.log(`sop --version ${ms(t.version)}  ${(t.version / t.bare).toFixed(2)}x  (target <= 1.5x)`);
console.log(`sop validate  ${ms(t.validate)}  ${(t.validate / t.bare).toFixed(2)}x  (target <= 2.5x)`);
console.log(`cold W1 run   ${ms(t.cold)}  ${(t.cold / t.baseline).toFixed(2)}x  (target <= 2x); peak RSS ${rss.toFixed(0)} MB (target <= 80)`);
rmSync(scratch, { recursive: true, force: true });
