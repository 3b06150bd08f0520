import { afterAll, describe, expect, it } from 'vitest';
import { located, project, removeTempDirs, sop, sopWith, validateJson } from './qa-helpers.js';

afterAll(removeTempDirs);

const ACTION_LINE = '      - id: write_draft';
const withWhen = (expression: string): string => sopWith(ACTION_LINE, `${ACTION_LINE}\n        when: {if: '${expression}'}`);

describe('CEL expressions checked before the run', () => {
  it('an unknown function fails validation at its name (was EXPRESSION_EVAL, exit 9, mid-run)', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': withWhen('size(content) > 0 && shout(content)') }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['EXPRESSION_SYNTAX', 14, 42]]);
    expect(diagnostics[0]?.message).toBe('unknown function `shout`');
  });

  it('an unknown method or macro, with "did you mean"', async () => {
    const { diagnostics } = await validateJson(project({ 'sop.yaml': withWhen('content.startWith("a")') }));
    expect(located(diagnostics)).toEqual([['EXPRESSION_SYNTAX', 14, 29]]);
    expect(diagnostics[0]?.hint).toBe('did you mean `startsWith`?');
  });

  it('a condition that can only give a number is refused: `when.if` must give true or false', async () => {
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': withWhen('size(content) + 1') }));
    expect(result.code).toBe(3);
    expect(located(diagnostics)).toEqual([['EXPRESSION_TYPE', 14, 21]]);
    expect(diagnostics[0]?.message).toMatch(/must give true or false; .* gives a value of type int/);
  });

  it('a condition that is one undeclared input is hinted declared a boolean, and that declaration validates', async () => {
    // The hint used to say `review: { type: string }`, which sop validate then refuses for a condition.
    const withInputs = (more: string): string => withWhen('inputs.review').replace('messages:', `inputs:\n  idea: {type: string}\n${more}messages:`);
    const { result, diagnostics } = await validateJson(project({ 'sop.yaml': withInputs('') }));
    expect(result.code).toBe(3);
    expect(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.hint])).toEqual([
      ['INPUT_UNDECLARED', 'declare it under `inputs:` (e.g. `review: { type: boolean, default: false }`)'],
    ]);
    const fixed = await validateJson(project({ 'sop.yaml': withInputs('  review: { type: boolean, default: false }\n') }));
    expect(fixed.result.code).toBe(0);
  });

  it('operands that never fit (`"a" + 1`) are refused', async () => {
    const { diagnostics } = await validateJson(project({ 'sop.yaml': withWhen('"a" + 1 == "a1"') }));
    expect(located(diagnostics)).toEqual([['EXPRESSION_SYNTAX', 14, 21]]);
  });

  it('conditions over data (dyn) and every documented form still pass', async () => {
    const { result } = await validateJson(project({ 'sop.yaml': withWhen('size(content) > 0 && content.startsWith("a") && has(payload.x) && [1, 2].all(i, i > 0)') }));
    expect(result.code).toBe(0);
  });

  it('division by zero at run time: EXPRESSION_EVAL located, exit 9, with a hint about the divisor', async () => {
    const dir = project({ 'sop.yaml': withWhen('size(content) / (size(content) - size(content)) > 1') });
    const result = await sop(['run', 'sop.yaml', 'idea', '--ci'], { cwd: dir });
    expect(result.code).toBe(9);
    expect(result.stderr).toMatch(/^sop\.yaml:14:\d+: error EXPRESSION_EVAL: the `when.if` expression `.*` failed: division by zero$/m);
    expect(result.stderr).toMatch(/hint: guard the divisor/);
  });
});

describe('a CEL expression written over several lines that sop validate refuses', () => {
  it('an unknown variable quotes the line that reads it, not the whole expression', async () => {
    const lines = ['        when:', '          if: |', '            size(content) > 0 &&', '            mesage.payload.ok == true &&', '            size(content) < 1000'];
    const { diagnostics } = await validateJson(project({ 'sop.yaml': sopWith(ACTION_LINE, [ACTION_LINE, ...lines].join('\n')) }));
    expect(located(diagnostics)).toEqual([['EXPRESSION_VARIABLE_UNKNOWN', 17, 13]]);
    expect(diagnostics[0]?.message).toMatch(/ \(`… mesage\.payload\.ok == true && …`\)$/);
  });
});

describe('a CEL expression written over several lines that fails at run time', () => {
  /** `sop run` of BASE_SOP whose action has `lines` (a `when` written as YAML) after its id. */
  const runWith = async (lines: string[], idea = 'idea') => {
    const dir = project({ 'sop.yaml': sopWith(ACTION_LINE, [ACTION_LINE, ...lines].join('\n')) });
    const result = await sop(['run', 'sop.yaml', idea, '--ci'], { cwd: dir });
    expect(result.code).toBe(9);
    return result.stderr;
  };

  it('a missing field on the third line of a folded block is located at the field, not at the first line', async () => {
    const stderr = await runWith(['        when:', '          if: >-', '            size(content) > 0 &&', '            true &&', '              message.payload.missing.x == 1']);
    expect(stderr).toMatch(/^sop\.yaml:18:31: error EXPRESSION_EVAL: the `when.if` expression `[^]*` failed: No such key: missing$/m);
  });

  it('a `&&` operand on the second line that is not a boolean is located at that operand (cel-js names the first)', async () => {
    const stderr = await runWith(['        when:', '          if: |', '            size(content) > 0 &&', '              content']);
    expect(stderr).toMatch(/^sop\.yaml:17:15: error EXPRESSION_EVAL: the `when.if` expression `[^]*` failed: Logical operator requires bool operands, got 'string'$/m);
  });

  it('a pattern from the data that is not RE2, in a quoted expression over two lines, is located at its `matches` call', async () => {
    const stderr = await runWith(['        when:', '          if: "size(content) > 0 &&', '            content.matches(inputs.idea)"'], '(');
    expect(stderr).toMatch(/^sop\.yaml:16:13: error EXPRESSION_EVAL: the `when.if` expression `[^]*` failed: invalid regular expression `\(`: /m);
  });
});
