import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// The library API, as a test runner built on it uses it.
import { createScriptedModel, parseScript, scriptedApprover } from '../../src/index.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';

/**
 * The scripted model in a real run (the library, as `sop test` will use it): the runtime gives it
 * each call's attempt and foreach item, and its human answers through `scriptedApprover`.
 */
function scripted(answers: string[], strict = false) {
  return createScriptedModel(parseScript(`apiVersion: sop-script/v1\nstrict: ${strict}\nanswers:\n${answers.map((line) => `  ${line}`).join('\n')}\n`, 'answers.yaml'));
}

describe('a run answered by a script', () => {
  it('answers each foreach item by its key or index; unscripted items get the offline answer', async () => {
    const model = scripted([
      '- { role: writer, action: write_file, item: gamma, output: "GAMMA = 3" }',
      '- { role: writer, action: write_file, item: 0, output: "ALPHA = 1" }',
    ]);
    const run = await runFixture('foreach.yaml', { model });
    expect(run.result.status).toBe('completed');
    const file = (name: string): string => readFileSync(path.join(run.result.workspace, 'out', `${name}.py`), 'utf8');
    expect([file('alpha'), file('gamma')]).toEqual(['ALPHA = 1\n', 'GAMMA = 3\n']);
    expect(file('beta')).toContain('offline');
  });

  it('answers each attempt of a revise loop: the first draft fails its gate, the second passes', async () => {
    const model = scripted([
      '- { role: writer, action: revise_draft, attempt: 1, output: "no title" }',
      '- { role: writer, action: revise_draft, attempt: 2, output: "# Title" }',
      '- { role: editor, action: note, output: noted }',
    ], true);
    const run = await runFixture('gates.yaml', { model, inputs: { policy: 'revise' } });
    expect(run.result.status).toBe('completed');
    expect(eventsOf(run, 'gate-failed').map((event) => [event['gate'], event['attempt'], event['onFail']])).toEqual([['has_title', 1, 'revise']]);
    expect(eventsOf(run, 'gate-passed')).toHaveLength(1);
  });

  it('makes a react role choose in the scripted order, and a strict script decides its human gate through the approver', async () => {
    const model = scripted(['- { role: worker, choose: build }', '- { role: worker, choose: done }'], false);
    const run = await runFixture('react.yaml', { model });
    expect(eventsOf(run, 'action-start').map((event) => event['action'])).toEqual(['build']);

    const reviewer = scripted([
      '- { role: writer, action: reviewed, attempt: 1, output: "# Draft" }',
      '- { role: writer, action: reviewed, attempt: 2, output: "# Draft, fixed" }',
      '- { role: writer, action: reviewed, gate: approve, attempt: 1, human: { reject: "say more" } }',
      '- { role: writer, action: reviewed, gate: approve, attempt: 2, human: approve }',
      '- { role: editor, action: publish, output: published }',
    ], true);
    const reviewed = await runFixture('judge-human.yaml', { model: reviewer, approve: scriptedApprover(reviewer), inputs: { mode: 'human', review: true } });
    expect(reviewed.result.status).toBe('completed');
    expect(eventsOf(reviewed, 'approval-decided').map((event) => [event['decision'], event['by'], event['feedback']])).toEqual([
      ['reject', 'script', 'say more'],
      ['approve', 'script', undefined],
    ]);
    expect(readFileSync(path.join(reviewed.result.workspace, 'draft.md'), 'utf8')).toBe('# Draft, fixed');
  });
});
