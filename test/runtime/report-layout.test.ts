import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDENTED_REPORT_MAX_COUNTS } from '../../src/runtime/report.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { runSop } from '../../src/runtime/index.js';
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
});
