import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// Plain JavaScript modules of `npm run bench` (tests are not type-checked; see tsconfig.json).
import { finalStateBytes } from '../../bench/lib/run-record.mjs';
import { markdownTargets, printTargets, target } from '../../bench/lib/targets.mjs';
import { selfTimeTop } from '../../bench/lib/cpu-profile.mjs';
import { pipelineSop } from '../../bench/lib/sops.mjs';

/**
 * The parts of `npm run bench` that decide what it prints: the final state a run's bytes written
 * are compared with (in the record before issue #11 and in the journal after it), the met/NOT met
 * verdicts, the profile summary, and the child that measures a run of the real build. Figures
 * themselves are never asserted (they depend on the machine).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-bench-test-'));
  dirs.push(dir);
  return dir;
}

describe('final state of a run record (bench/lib/run-record.mjs)', () => {
  it('is the size of checkpoint.json in a record that has no journal', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'checkpoint.json'), '{"version":1,"round":3}');
    expect(finalStateBytes(dir)).toEqual({ bytes: 23, source: 'checkpoint.json' });
  });

  it('is the last complete snapshot line of journal.jsonl, past a torn last line, and wins over checkpoint.json', () => {
    const dir = scratch();
    const first = JSON.stringify({ type: 'snapshot', round: 1, state: { a: 1 } });
    const last = JSON.stringify({ type: 'snapshot', round: 2, state: { a: 'é' } });
    const lines = [first, JSON.stringify({ type: 'event', name: 'round_started' }), last, JSON.stringify({ type: 'commit', round: 3 }), '{"type":"snapshot","round":3,"st'];
    writeFileSync(path.join(dir, 'journal.jsonl'), lines.join('\n'));
    writeFileSync(path.join(dir, 'checkpoint.json'), '{}');
    expect(finalStateBytes(dir)).toEqual({ bytes: Buffer.byteLength(last), source: 'last snapshot line of journal.jsonl' });
  });

  it('recognises a snapshot entry by its kind field or a snapshot key', () => {
    const dir = scratch();
    const line = JSON.stringify({ seq: 9, snapshot: { round: 4 } });
    writeFileSync(path.join(dir, 'journal.jsonl'), `${JSON.stringify({ kind: 'snapshot', round: 1 })}\n${line}\n`);
    expect(finalStateBytes(dir)?.bytes).toBe(line.length);
  });

  it('is undefined for a folder with neither record', () => {
    expect(finalStateBytes(scratch())).toBeUndefined();
  });
});

describe('targets (bench/lib/targets.mjs)', () => {
  it('prints each figure beside its limit with met / NOT met, and the count met', () => {
    const lines: string[] = [];
    printTargets([
      target('fast enough', { value: 90, limit: 100, unit: ' µs', shown: '90 µs', against: 'plain JS 1 µs' }),
      target('on the limit', { value: 1.2, limit: 1.2, unit: '×', shown: '1.20×' }),
      target('too slow', { value: 2.5, limit: 2, unit: '×', shown: '2.50×' }),
      target('broken build', { value: undefined, limit: 4, unit: '×', shown: undefined }),
    ], (line: string) => lines.push(line));
    expect(lines.slice(1)).toEqual([
      '  met      fast enough: 90 µs  [plain JS 1 µs]  target ≤ 100 µs',
      '  met      on the limit: 1.20×  target ≤ 1.2×',
      '  NOT met  too slow: 2.50×  target ≤ 2×',
      '  NOT met  broken build: not measured  target ≤ 4×',
      '2 of 4 targets met',
    ]);
  });

  it('prints them as a Markdown table with --markdown', () => {
    const lines: string[] = [];
    markdownTargets([
      target('fast enough', { value: 90, limit: 100, unit: ' µs', shown: '90 µs', against: 'plain JS 1 µs' }),
      target('too slow', { value: 2.5, limit: 2, unit: '×', shown: '2.50×' }),
    ], (line: string) => lines.push(line));
    expect(lines.join('\n').trim().split('\n')).toEqual([
      '| target | figure | baseline | target | met |',
      '| --- | --- | --- | --- | --- |',
      '| fast enough | 90 µs | plain JS 1 µs | ≤ 100 µs | met |',
      '| too slow | 2.50× |  | ≤ 2× | NOT met |',
      '| targets met | 1 of 2 | | | |',
    ]);
  });
});

describe('CPU profile summary (bench/lib/cpu-profile.mjs)', () => {
  it('sums self time per function, leaves idle out and names the file relative to the repository', () => {
    const file = `file://${path.join(root, 'dist', 'runtime', 'team.js')}`;
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'runTeam', url: file, lineNumber: 15 } },
        { id: 3, callFrame: { functionName: 'fsync', url: '', lineNumber: -1 } },
        { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      ],
      samples: [2, 3, 2, 4, 3, 3],
      timeDeltas: [1000, 3000, 1000, 50_000, 2000, 1000],
    };
    const { totalMs, rows } = selfTimeTop(profile, 5, root);
    expect(totalMs).toBe(8);
    expect(rows).toEqual([
      { name: 'fsync', where: '', ms: 6, percent: 75 },
      { name: 'runTeam', where: path.join('dist', 'runtime', 'team.js:16'), ms: 2, percent: 25 },
    ]);
  });
});

describe('bench/measure-run.mjs', () => {
  it('runs the 5-step pipeline of the current build in a fresh process and reports CPU, bytes written and the final state', () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'runs'));
    const args = JSON.stringify({ dist: path.join(root, 'dist'), sopFile: path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml'), scratch: path.join(dir, 'runs'), warmup: 1, repeat: 3 });
    const child = spawnSync(process.execPath, [path.join(root, 'bench', 'measure-run.mjs'), args], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const result = JSON.parse(child.stdout) as { status: string; calls: number; cpuUs: number; wcharBytes: number; finalState?: { bytes: number } };
    expect(result).toMatchObject({ status: 'completed', calls: 5 });
    expect(result.cpuUs).toBeGreaterThan(0);
    // The record was written, and its final state found whatever the record's format.
    if (process.platform === 'linux') expect(result.wcharBytes).toBeGreaterThan(result.finalState?.bytes ?? Infinity);
    expect(result.finalState?.bytes).toBeGreaterThan(0);
  });
});

describe('W1-shaped pipelines (bench/lib/sops.mjs)', () => {
  it('pipelineSop(5) is W1 but for its metadata, so W1 in parts measures W1', () => {
    const w1 = parse(readFileSync(path.join(root, 'bench', 'workloads', 'w1-pipeline.yaml'), 'utf8')) as Record<string, unknown>;
    const generated = parse(pipelineSop(5)) as Record<string, unknown>;
    const { metadata: _w1Metadata, ...w1Body } = w1;
    const { metadata: _generatedMetadata, ...generatedBody } = generated;
    expect(generatedBody).toEqual(w1Body);
  });
});
