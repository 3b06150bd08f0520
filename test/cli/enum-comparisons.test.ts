import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir, type CliResult } from './run-cli.js';

/**
 * EXPRESSION_VALUE_NOT_IN_ENUM beyond a payload's own text fields: a field of a foreach's `item` or
 * of a comprehension's variable (its list's `items` schema), an enum of numbers or booleans (a text
 * `'2'` is not the number 2), and a test file's `where`. Each such comparison is never true (or, with
 * `!=`, always true) whatever the model answers; each valid one gives no warning.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: planning, version: 1.0.0, requires: ">=0.2" }
inputs:
  goal: { description: what to plan }
messages:
  Goal: { description: the goal }
  Plan:
    schema:
      type: object
      additionalProperties: false
      required: [level, reviewed, tasks]
      properties:
        level: { enum: [1, 2] }
        reviewed: { const: true }
        tasks:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [state, title]
            properties:
              state: { enum: [todo, done] }
              title: { type: string }
  Note: { description: a note per task }
  Summary: { description: the plan summed up }
start: [{ type: Goal, content: "{{ inputs.goal }}" }]
roles:
  planner:
    profile: Planner
    watch: [Goal]
    actions:
      - id: plan
        prompt: "Plan: {{ message.content }}"
        output: { type: Plan, format: json }
        artifacts:
          - { path: plan.md, if: "payload.tasks.all(t, t.state in ['todo', 'done']) && payload.level in [1, 2]" }
  worker:
    profile: Worker
    watch: [Plan]
    actions:
      - id: note
        when: { type: Plan, if: "payload.level == 2 && payload.reviewed == true" }
        foreach: message.payload.tasks
        prompt: "Note on {{ item.title }}"
        output: { type: Note, format: markdown }
        artifacts:
          - { path: "notes/{{ index }}.md", if: "item.state != 'done'" }
  lead:
    profile: Lead
    watch: [Note]
    actions:
      - id: sum
        prompt: "Sum up: {{ message.content }}"
        output: { type: Summary, format: markdown }
stop_when: { type: Summary }
`;

const TEST_FILE = `apiVersion: sop-test/v1
sop: planning.yaml
cases:
  - name: plans and sums up
    inputs: { goal: ship it }
    answers:
      - { role: planner, action: plan, output: { level: 2, reviewed: true, tasks: [{ state: todo, title: write }] } }
      - { role: worker, action: note, output: write it }
      - { role: lead, action: sum, output: done }
    expect:
      messages:
        - { type: Plan, where: "payload.level == 2 && payload.tasks.exists(t, t.state == 'todo')" }
`;

function project(sopText: string, testFile = TEST_FILE): string {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'planning.yaml'), sopText);
  writeFileSync(path.join(cwd, 'planning.test.yaml'), testFile);
  return cwd;
}

/** `FILE:LINE:COL` of the first `needle` in `text` (1-based), where the warning must point. */
function at(file: string, text: string, needle: string): string {
  const offset = text.indexOf(needle);
  expect(offset, needle).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset).split('\n');
  return `${file}:${before.length}:${(before.at(-1) as string).length + 1}`;
}

function edited(from: string, to: string, text = SOP): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

async function validate(sopText: string): Promise<CliResult> {
  const result = await sop(['validate', 'planning.yaml'], { cwd: project(sopText) });
  expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
  return result;
}

describe('comparisons with a value the schema never allows, beyond a payload\'s text fields', () => {
  it('the valid SOP (item, comprehension variable, numbers, booleans, `in`) and test file give no warning', async () => {
    const cwd = project(SOP);
    const sopResult = await sop(['validate', 'planning.yaml'], { cwd });
    expect(sopResult.code, sopResult.stdout).toBe(0);
    expect(sopResult.stdout).toContain('0 warnings');
    const testResult = await sop(['validate', 'planning.test.yaml'], { cwd });
    expect(testResult.code, testResult.stdout).toBe(0);
    expect(testResult.stdout).toContain('0 warnings');
    const run = await sop(['test', 'planning.test.yaml'], { cwd });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('EXPRESSION_VALUE_NOT_IN_ENUM');
  });

  it('a foreach `item`\'s field: warned at the text, with the values of the list\'s items and did-you-mean', async () => {
    const text = edited("if: \"item.state != 'done'\"", "if: \"item.state != 'dne'\"");
    const result = await validate(text);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`${at('planning.yaml', text, "'dne'")}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`item.state\` is never \`'dne'\`: the schema of \`Plan\` allows only done, todo (so \`!=\` is always true)\n  expected: one of: done, todo\n  hint: did you mean \`'done'\`?\n`);
    expect(result.stdout).toContain('1 warning');
  });

  it('a comprehension variable\'s field (`t.state` of `t` in `payload.tasks`): warned, and the hint names the items\' field', async () => {
    const text = edited("t.state in ['todo', 'done']", "t.state in ['todo', 'finished']");
    const result = await validate(text);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`${at('planning.yaml', text, "'finished'")}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.tasks[].state\` is never \`'finished'\`: the schema of \`Plan\` allows only done, todo (so that entry of the \`in\` list never matches)\n  expected: one of: done, todo\n  hint: compare with a value the schema allows, or add \`finished\` to the \`enum\` of \`tasks[].state\` in the schema of \`Plan\`\n`);
  });

  it('a number the numeric enum does not list (`payload.level == 3`, `in [1, -2]`): warned at the number', async () => {
    const text = edited('payload.level in [1, 2]', 'payload.level in [1, -2]', edited('payload.level == 2', 'payload.level == 3'));
    const result = await validate(text);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`${at('planning.yaml', text, '3 &&')}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.level\` is never \`3\`: the schema of \`Plan\` allows only 1, 2 (so \`==\` is never true)\n  expected: one of: 1, 2\n  hint: compare with a value the schema allows, or add \`3\` to the \`enum\` of \`level\` in the schema of \`Plan\`\n`);
    expect(result.stdout).toContain(`${at('planning.yaml', text, '-2]')}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.level\` is never \`-2\``);
    expect(result.stdout).toContain('2 warnings');
  });

  it('a text where the enum has numbers (`payload.level == \'2\'`) or a boolean `const` (`== \'true\'`): never equal in CEL; did-you-mean the value unquoted', async () => {
    const text = edited('payload.level == 2 && payload.reviewed == true', "payload.level == '2' && payload.reviewed == 'true'");
    const result = await validate(text);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`${at('planning.yaml', text, "'2'")}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.level\` is never \`'2'\`: the schema of \`Plan\` allows only 1, 2 (so \`==\` is never true)\n  expected: one of: 1, 2\n  hint: did you mean \`2\`?\n`);
    expect(result.stdout).toContain(`${at('planning.yaml', text, "'true'")}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.reviewed\` is never \`'true'\`: the schema of \`Plan\` allows only true (so \`==\` is never true)\n  expected: one of: true\n  hint: did you mean \`true\`?\n`);
  });

  it('a boolean the `const` does not allow (`payload.reviewed == false`): warned', async () => {
    const text = edited('payload.reviewed == true', 'payload.reviewed == false');
    const result = await validate(text);
    expect(result.stdout).toContain(`${at('planning.yaml', text, 'false"')}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.reviewed\` is never \`false\`: the schema of \`Plan\` allows only true (so \`==\` is never true)`);
  });
});

describe('a test file\'s `where` comparing a payload field with a value its enum does not list', () => {
  const mistyped = edited("t.state == 'todo'", "t.state == 'to-do'", edited('payload.level == 2', 'payload.level == 4', TEST_FILE));

  it('`sop validate` warns at each value, with the values allowed and did-you-mean: exit 0', async () => {
    const result = await sop(['validate', 'planning.test.yaml'], { cwd: project(SOP, mistyped) });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`${at('planning.test.yaml', mistyped, '4 &&')}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.level\` is never \`4\`: the schema of \`Plan\` allows only 1, 2 (so \`==\` is never true)\n  expected: one of: 1, 2\n`);
    expect(result.stdout).toContain(`${at('planning.test.yaml', mistyped, "'to-do'")}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.tasks[].state\` is never \`'to-do'\`: the schema of \`Plan\` allows only done, todo (so \`==\` is never true)\n  expected: one of: done, todo\n  hint: did you mean \`'todo'\`?\n`);
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 2 warnings');
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
  });

  it('`sop test` says it as `sop validate` does, before the cases, and runs the case (which fails, TESTS_FAILED, exit 16: no Plan matches)', async () => {
    const result = await sop(['test', 'planning.test.yaml'], { cwd: project(SOP, mistyped) });
    expect(result.stderr).toContain(`${at('planning.test.yaml', mistyped, "'to-do'")}: warning EXPRESSION_VALUE_NOT_IN_ENUM: \`payload.tasks[].state\` is never \`'to-do'\`: the schema of \`Plan\` allows only done, todo (so \`==\` is never true)\n  expected: one of: done, todo\n  hint: did you mean \`'todo'\`?\n`);
    expect(result.stdout).toContain('plans and sums up');
    expect(result.code).toBe(16);
    // (stdout's `at FILE:LINE:COL` lines locate the failed expectation.)
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
