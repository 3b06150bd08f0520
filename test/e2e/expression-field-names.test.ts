import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { project, run } from './providers-helpers.js';

/**
 * A CEL expression that fails while the run goes (EXPRESSION_EVAL, exit 9) is told once: the field
 * it is written in (`when.if`, `stop_when.if`, a gate's `assert`, `foreach`), the expression (a
 * multi-line one as an excerpt around the failing part) and the reason.
 */
afterAll(removeTempDirs);

/** A planner answering `{ n: "x" }` (a string where the SOP computes with a number), and a writer; `planner` and `writer` are YAML lines added to each action. */
function sop(parts: { stopWhen?: string; planner?: string; writer?: string }): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: plan, version: 1.0.0 }
messages:
  Idea: { description: An idea }
  Plan: { description: A plan }
  Done: { description: Done }
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
stop_when:
  - type: Done${parts.stopWhen ?? ''}
roles:
  planner:
    profile: Planner
    goal: Plan
    watch: [Idea]
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: json }${parts.planner ?? ''}
  writer:
    profile: Writer
    goal: Write
    watch: [Plan]
    actions:
      - id: write
        prompt: go
        output: { type: Done }${parts.writer ?? ''}
`;
}

async function failedRun(text: string, planned = '{ n: "x" }'): Promise<string> {
  const cwd = project();
  writeFileSync(path.join(cwd, 'plan.sop.yaml'), text);
  writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: planner, action: plan, output: ${planned} }\n`);
  const result = await run(cwd, ['run', 'plan.sop.yaml', 'an app', '--model', 'script:answers.yaml', '--workspace', 'out'], {});
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.code, result.stderr).toBe(9);
  expect(result.stderr.match(/error /g)).toHaveLength(1);
  return result.stderr;
}

const TYPES_HINT = '  hint: the values have other types than the operation needs: convert with int(), double() or string(), or compare like with like\n';

describe.concurrent('an expression failing at run time names its field once', () => {
  it('`when.if` over several lines: the failing line, not the whole expression', async () => {
    const stderr = await failedRun(sop({ writer: '\n        when:\n          if: |\n            message.payload.n != "" &&\n            message.payload.n + 1 > 2' }));
    expect(stderr).toContain('plan.sop.yaml:32:13: error EXPRESSION_EVAL: the `when.if` expression `… message.payload.n + 1 > 2` failed: no such overload: dyn<string> + int\n' + TYPES_HINT);
    expect(stderr).not.toContain('expression failed');
  });

  it('`stop_when.if`', async () => {
    const stderr = await failedRun(sop({ stopWhen: '\n  - type: Plan\n    if: "payload.n + 1 > 2"' }));
    expect(stderr).toContain('plan.sop.yaml:13:10: error EXPRESSION_EVAL: the `stop_when.if` expression `payload.n + 1 > 2` failed: no such overload: dyn<string> + int\n' + TYPES_HINT);
  });

  it('a gate\'s `assert`', async () => {
    const stderr = await failedRun(sop({ planner: '\n        gates:\n          - name: small\n            assert: "payload.n < 3"' }));
    expect(stderr).toContain('plan.sop.yaml:23:22: error EXPRESSION_EVAL: the gate `assert` expression `payload.n < 3` failed: no such overload: dyn<string> < int\n' + TYPES_HINT);
  });

  it('a value of the wrong kind: the field, an excerpt of a multi-line expression and what it gave', async () => {
    const stderr = await failedRun(sop({ writer: '\n        foreach: |\n          has(message.payload.n) ?\n            message.payload.n : []' }));
    expect(stderr).toContain('error EXPRESSION_EVAL: the `foreach` expression `has(message.payload.n) ? …` gave string, expected a list\n');
  });

  it('one that would take too long (two comprehensions nested over a list of 4,000: 16,000,000 steps) stops at the step limit, saying how to iterate less', async () => {
    const ids = `{ ids: [${Array.from({ length: 4000 }, (_, index) => index).join(', ')}] }`;
    const stderr = await failedRun(sop({ stopWhen: '\n  - type: Plan\n    if: "payload.ids.all(a, payload.ids.all(b, a + b >= 0))"' }), ids);
    expect(stderr).toContain(
      'plan.sop.yaml:13:10: error EXPRESSION_EVAL: the `stop_when.if` expression `payload.ids.all(a, payload.ids.all(b, a + b >= 0))` failed: ' +
        'it went over the limit of 10,000,000 steps of one evaluation (each element a `map`, `filter`, `all`, `exists` or `exists_one` goes over is one, and each list item or 16 characters of text it holds)\n' +
        '  hint: iterate over less: nested comprehensions multiply (two lists of 10,000 are 100,000,000 steps), so look items up in a map, or filter the list once; ' +
        'bound the lists the data may hold in its message type\'s schema (`maxItems`)\n',
    );
  });
});
