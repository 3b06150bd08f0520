import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INDENTED_REPORT_MAX_COUNTS } from '../../src/runtime/report.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { runSop } from '../../src/runtime/index.js';
import { runFixture, tempFolder } from './helpers/run-fixture.js';
import { scriptedModel } from './helpers/scripted-model.js';

/** One writer, `count` reviewers, one aggregator: a usage count per role and per action for each. */
function fanOut(count: number): string {
  const reviewers = Array.from({ length: count }, (_, i) => `  reviewer_${i}:\n    profile: Reviewer\n    watch: [Draft]\n    actions: [{ id: review_${i}, prompt: "Review {{ message.content }}", output: { type: Review } }]\n`).join('');
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: wide, version: 1.0.0 }
settings: { n_round: 5, max_concurrency: ${count} }
messages: { Idea: {}, Draft: {}, Review: {}, Summary: {} }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions: [{ id: write, prompt: "Draft {{ message.content }}", output: { type: Draft } }]
${reviewers}  aggregator:
    profile: Aggregator
    watch: [Review]
    actions: [{ id: aggregate, when: { type: Review, batch: true }, prompt: "Sum up", output: { type: Summary } }]
stop_when: { type: Summary }
`;
}

describe('report.json', () => {
  it('is indented for people; the report of a run with more usage counts than that is one line, the same report', async () => {
    const small = await runFixture('ping-pong.yaml', { model: scriptedModel(() => 'ok'), nRound: 2 });
    const smallText = readFileSync(path.join(small.result.runDir, 'report.json'), 'utf8');
    expect(smallText).toBe(`${JSON.stringify(small.result.report, null, 2)}\n`);

    const cwd = tempFolder();
    const file = path.join(cwd, 'wide.yaml');
    // Each reviewer adds a role and an action: just past the limit.
    const reviewers = Math.floor(INDENTED_REPORT_MAX_COUNTS / 2);
    writeFileSync(file, fanOut(reviewers));
    const { sop } = await loadResolvedSop(file);
    const wide = await runSop(sop, { cwd, inputs: { idea: 'x' }, model: scriptedModel(() => 'ok') });
    expect(wide.status).toBe('completed');
    expect(Object.keys(wide.report.usage.byRole)).toHaveLength(reviewers + 2);
    const wideText = readFileSync(path.join(wide.runDir, 'report.json'), 'utf8');
    expect(wideText).toBe(`${JSON.stringify(wide.report)}\n`);
    expect(wideText.split('\n')).toHaveLength(2);
  });
});
