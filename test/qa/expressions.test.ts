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
    expect(located(diagnostics)).toEqual([['EXPRESSION_SYNTAX', 14, 21]]);
    expect(diagnostics[0]?.message).toMatch(/must give true or false; .* gives a value of type int/);
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
    expect(result.stderr).toMatch(/^sop\.yaml:14:\d+: error EXPRESSION_EVAL: expression `.*` failed: division by zero$/m);
    expect(result.stderr).toMatch(/hint: guard the divisor/);
  });
});
