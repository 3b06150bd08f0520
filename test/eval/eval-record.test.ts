import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EvalRecord, type EvalSpec } from '../../src/eval/eval-record.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function spec(evalId: string, sop: string): EvalSpec {
  return { schemaVersion: 1, evalId, sop, dataset: '/d/cases.yaml', datasetSha256: 'x', models: ['offline'], repeat: 1, runsDir: '/d/runs', started: new Date().toISOString() };
}

describe('EvalRecord', () => {
  it('a new eval never writes into another eval\'s record: an id already taken gets a new one', () => {
    const evals = mkdtempSync(path.join(os.tmpdir(), 'sop-evals-'));
    dirs.push(evals);
    const first = EvalRecord.create(evals, spec('20260101-000000-aaaaaa', '/first.yaml'), () => 'unused');
    const second = EvalRecord.create(evals, spec('20260101-000000-aaaaaa', '/second.yaml'), () => '20260101-000000-bbbbbb');
    expect(second.spec.evalId).toBe('20260101-000000-bbbbbb');
    expect(JSON.parse(readFileSync(path.join(first.dir, 'eval.json'), 'utf8')).sop).toBe('/first.yaml');
    expect(JSON.parse(readFileSync(path.join(second.dir, 'eval.json'), 'utf8')).sop).toBe('/second.yaml');
    first.release();
    second.release();
  });

  it('a record held by its maker is refused to a second opener (RUN_LOCKED) until released', () => {
    const evals = mkdtempSync(path.join(os.tmpdir(), 'sop-evals-'));
    dirs.push(evals);
    const made = EvalRecord.create(evals, spec('20260101-000000-cccccc', '/sop.yaml'), () => 'unused');
    expect(() => EvalRecord.open(evals, '20260101-000000-cccccc')).toThrow(expect.objectContaining({ code: 'RUN_LOCKED', message: expect.stringContaining(`eval 20260101-000000-cccccc is in use: sop eval (pid ${process.pid}`) }));
    made.release();
    const opened = EvalRecord.open(evals, '20260101-000000-cccccc');
    opened.release();
  });
});
