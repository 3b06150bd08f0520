import { describe, expect, it } from 'vitest';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

describe('gate shorthands, `if` and `then: warn`', () => {
  it('length, matches and contains check the output text; `if` skips a gate; `then: warn` lets the last output through', async () => {
    const model = scriptedModel(['short', '0123456789 no heading', '# heading with a goal', '# heading with a goal and a scope']);
    const run = await runFixture('gate-shorthands.yaml', { model, inputs: { idea: 'y' } });
    expect(run.result.status).toBe('completed');
    const feedback = model.requests.slice(1).map(userPrompt);
    expect(feedback[0]).toContain('gate "long-enough" failed: `size(output) >= 10` is false');
    expect(feedback[1]).toContain('gate "has-heading" failed: `output.matches("^# ")` is false');
    expect(feedback[2]).toContain('gate "mentions" failed: `output.contains("goal") && output.contains("scope")` is false');
    expect(eventsOf(run, 'gate-failed').map((event) => `${event['gate']}:${event['onFail']}`)).toEqual([
      'long-enough:revise',
      'has-heading:revise',
      'mentions:revise',
      'lenient:warn',
    ]);
    expect(eventsOf(run, 'gate-passed').some((event) => event['gate'] === 'only-for-x')).toBe(false);
    expect(run.result.report.gates['write/only-for-x']).toBeUndefined();
    expect(run.result.report.gates['write/lenient']).toMatchObject({ checks: 1, failed: 1, passRate: 0 });
    expect(run.result.report.messages.byType['Draft']).toBe(1);
  });

  it('a gate whose `if` is true is checked', async () => {
    const model = scriptedModel(() => '# heading with a goal and a scope, perfect');
    const run = await runFixture('gate-shorthands.yaml', { model, inputs: { idea: 'x' } });
    expect(run.result).toMatchObject({ status: 'gate_stopped', exitCode: 7 });
    expect(eventsOf(run, 'gate-failed')).toEqual([expect.objectContaining({ gate: 'only-for-x', kind: 'assert', onFail: 'stop' })]);
  });
});
