import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDENTED_REPORT_MAX_COUNTS, reportSoFar } from '../../src/runtime/report.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { readResumePoint, runSop } from '../../src/runtime/index.js';
import { fanoutSop } from './helpers/fanout-sop.js';
import { runFixture, tempFolder } from './helpers/run-fixture.js';
import { scriptedModel } from './helpers/scripted-model.js';

describe('report.json', () => {
  it('is indented for people; the report of a run with more usage counts than that is one line, the same report', async () => {
    const small = await runFixture('ping-pong.yaml', { model: scriptedModel(() => 'ok'), nRound: 2 });
    const smallText = readFileSync(path.join(small.result.runDir, 'report.json'), 'utf8');
    expect(smallText).toBe(`${JSON.stringify(small.result.report, null, 2)}\n`);

    const cwd = tempFolder();
    const file = path.join(cwd, 'wide.yaml');
    // Each reviewer adds a role and an action: just past the limit.
    const reviewers = Math.floor(INDENTED_REPORT_MAX_COUNTS / 2);
    writeFileSync(file, fanoutSop(Array.from({ length: reviewers }, () => 'Review {{ message.content }}')));
    const { sop } = await loadResolvedSop(file);
    const wide = await runSop(sop, { cwd, inputs: { idea: 'x' }, model: scriptedModel(() => 'ok') });
    expect(wide.status).toBe('completed');
    expect(Object.keys(wide.report.usage.byRole)).toHaveLength(reviewers + 2);
    const wideText = readFileSync(path.join(wide.runDir, 'report.json'), 'utf8');
    expect(wideText).toBe(`${JSON.stringify(wide.report)}\n`);
    expect(wideText.split('\n')).toHaveLength(2);
  });

  it('a report so far (`sop report` of a run that has not ended) has the ended report\'s fields, in its order, but those of an ending', async () => {
    const run = await runFixture('ping-pong.yaml', { model: scriptedModel(() => 'ok'), nRound: 2 });
    const ended = JSON.parse(readFileSync(path.join(run.result.runDir, 'report.json'), 'utf8')) as Record<string, unknown>;
    const { checkpoint } = readResumePoint(run.result.runDir);
    const soFar = reportSoFar(checkpoint, { status: 'crashed', version: run.result.report.sop.version, model: run.result.report.model, now: new Date() }) as unknown as Record<string, unknown>;
    const endingOnly = new Set(['ended', 'stoppedInRound', 'budget', 'gates', 'awaiting', 'pendingArtifacts', 'error', 'hint']);
    expect(Object.keys(soFar)).toEqual([...Object.keys(ended).filter((key) => !endingOnly.has(key)), 'hint']);
    const { status, exitCode, durationMs, hint, ...same } = soFar;
    expect([status, exitCode, hint]).toEqual(['crashed', null, `resume with: sop resume ${checkpoint.runId}`]);
    for (const [key, value] of Object.entries(same)) expect(value, key).toEqual(ended[key]);
  });
});
