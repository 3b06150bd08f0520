import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResumePoint, reportSoFar } from '../../src/runtime/index.js';
import { runFixture } from './helpers/run-fixture.js';
import { scriptedModel } from './helpers/scripted-model.js';

describe('reportSoFar', () => {
  it('reports the calls a journal answered after its last committed round, with their cost, beside the rounds (paid, kept for a resume)', async () => {
    // Stopped in its first round: the calls answered by then are in the journal, after the round-0 boundary.
    const controller = new AbortController();
    const model = scriptedModel((_request, index) => {
      if (index === 1) controller.abort();
      return { text: 'print("x")', costUsd: 0.25 };
    });
    const stopped = await runFixture('foreach.yaml', { model, signal: controller.signal });
    expect(stopped.result.status).toBe('interrupted');
    const runDir = stopped.result.runDir;
    const answered = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split('\n').filter((line) => line.includes('"type":"call-answered"'));
    expect(answered.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8')).not.toContain('"type":"round-commit"');

    const { checkpoint, answers } = readResumePoint(runDir);
    const facts = { status: 'crashed', version: '1.0.0', model: 'scripted', now: new Date() } as const;
    const report = reportSoFar(checkpoint, { ...facts, answers });
    expect(report).toMatchObject({ rounds: 0, usage: { total: { calls: 0 } }, costUsd: 0 });
    expect(report.answeredAfter).toEqual({ calls: answered.length, costUsd: 0.25 * answered.length });
    // Told where a reader of the report looks for it: beside the rounds, before the hint.
    expect(Object.keys(report).slice(-2)).toEqual(['answeredAfter', 'hint']);
    // Without the resume point's answers, nothing is said of them (no made-up zero).
    expect(reportSoFar(checkpoint, facts)).not.toHaveProperty('answeredAfter');
  });

  it('labels an incremental run\'s artifacts as its ledger has them (sop report of a run killed or still running)', async () => {
    const stopped = await runFixture('foreach.yaml', { workspaceChanges: true, nRound: 1 });
    expect(stopped.result.report.workspaceChanges?.new).toEqual(['out/alpha.py', 'out/beta.py', 'out/delta.py', 'out/gamma.py']);
    const { checkpoint } = readResumePoint(stopped.result.runDir);
    const report = reportSoFar(checkpoint, { status: 'crashed', version: '1.0.0', model: 'scripted', now: new Date() });
    expect(report.workspaceChanges).toEqual({ new: ['out/alpha.py', 'out/beta.py', 'out/delta.py', 'out/gamma.py'], changed: [], unchanged: [] });
    // A run that did not ask for them has none.
    const plain = await runFixture('foreach.yaml', { nRound: 1 });
    expect(reportSoFar(readResumePoint(plain.result.runDir).checkpoint, { status: 'crashed', version: '1.0.0', model: 'scripted', now: new Date() })).not.toHaveProperty('workspaceChanges');
  });
});
