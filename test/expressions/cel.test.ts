import { describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { checkExpression, compileExpression } from '../../src/expressions/index.js';

const at = (source: string, line = 5, column = 20) => ({ source, origin: { file: 'team.yaml', line, column, pointer: '/stop_when/if', lineOffset: 0 } });

describe('CEL expressions', () => {
  it('evaluates conditions over JSON payloads, whole numbers as ints', () => {
    const context = { payload: { passed: false, count: 3, ratio: 0.5, language: 'python', files: ['a', 'b'] } };
    expect(compileExpression(at('payload.passed == false')).evaluate(context)).toBe(true);
    expect(compileExpression(at('!payload.passed && payload.count + 1 == 4')).evaluate(context)).toBe(true);
    expect(compileExpression(at("payload.language == 'python' && payload.ratio < 1.0")).evaluate(context)).toBe(true);
    expect(compileExpression(at('payload.files')).evaluate(context)).toEqual(['a', 'b']);
    expect(compileExpression(at('size(payload.files)')).evaluate(context)).toBe(2);
  });

  it('refuses a malformed expression with its SOP position', () => {
    try {
      compileExpression(at('payload.passed == &&'));
      expect.unreachable();
    } catch (error) {
      expect(isSopError(error) && error.code).toBe('EXPRESSION_SYNTAX');
      expect(isSopError(error) && error.diagnostics[0]).toMatchObject({ line: 5, column: 38 });
    }
  });

  it('locates a non-boolean `&&`/`||` operand at that operand, left or right (cel-js names the left one for both)', () => {
    const failedAt = (source: string, context: Record<string, unknown>): [number, number] | undefined => {
      try {
        compileExpression(at(source, 5, 1)).evaluate(context);
      } catch (error) {
        const diagnostic = isSopError(error) ? error.diagnostics[0] : undefined;
        return diagnostic ? [diagnostic.line ?? 0, diagnostic.column ?? 0] : undefined;
      }
      return undefined;
    };
    const payload = { payload: { ok: true, count: 2, none: false } };
    expect(failedAt('payload.ok &&\n  payload.count', payload)).toEqual([6, 3]);
    expect(failedAt('payload.none ||\n    payload.count', payload)).toEqual([6, 5]);
    expect(failedAt('payload.count &&\n  payload.ok', payload)).toEqual([5, 1]);
    // Both wrong: cel-js's message gives the right one's type, so the right one is named.
    expect(failedAt('payload.count &&\n  payload.count', payload)).toEqual([6, 3]);
    // Inside a macro the operand's variable has no value alone: where cel-js points stands.
    expect(failedAt('[2].all(x,\n  payload.ok && x)', payload)).toEqual([6, 3]);
  });

  it('reports evaluation errors as EXPRESSION_EVAL', () => {
    try {
      compileExpression(at('payload.missing == 1')).evaluate({ payload: {} });
      expect.unreachable();
    } catch (error) {
      expect(isSopError(error) && error.code).toBe('EXPRESSION_EVAL');
    }
  });

  // `(a+)+Z` backtracks exponentially in JavaScript's RegExp: 64 characters held the process for minutes.
  // The test timeout is only a hang guard; the assertion is the answer.
  it('matches() uses RE2 in linear time: a catastrophic pattern answers at once', { timeout: 60_000 }, () => {
    const hostile = compileExpression(at('output.matches("(a+)+Z")'));
    expect(hostile.evaluate({ output: 'a'.repeat(64) })).toBe(false);
    expect(hostile.evaluate({ output: `${'a'.repeat(100_000)}Z` })).toBe(true);
    expect(compileExpression(at('output.matches("(?i)^# title") && !output.matches("\\\\d{3}")')).evaluate({ output: '# TITLE 12' })).toBe(true);
    expect(compileExpression(at('items.exists(x, x.matches("^v[0-9]+$"))')).evaluate({ items: ['a', 'v12'] })).toBe(true);
  });

  it('a matches() pattern that RE2 cannot compile fails as EXPRESSION_EVAL naming `matches`', () => {
    try {
      compileExpression(at('output.matches(payload.pattern)')).evaluate({ output: 'x', payload: { pattern: '(a' } });
      expect.unreachable();
    } catch (error) {
      expect(isSopError(error) && error.code).toBe('EXPRESSION_EVAL');
      expect((error as Error).message).toContain('invalid regular expression `(a`: missing closing )');
    }
    try {
      compileExpression(at('output.matches("x")')).evaluate({ output: 3 });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/no matching overload for 'int\.matches\(string\)'/);
    }
  });

  it('lists free variables and skips comprehension variables', () => {
    const variables = compileExpression(at('message.payload.tasks.exists(t, t.file == inputs.target) && has(payload.x)')).variables();
    expect(variables.map((v) => v.join('.')).sort()).toEqual(['inputs.target', 'message.payload.tasks', 'payload.x']);
  });

  it('lists the fields read through comprehension variables as element reads, nested ones too', () => {
    const expression = compileExpression(at('payload.tags.all(t, t.name != "") && payload.groups.exists(g, g.items.all(i, i.id > 0)) && [1].all(n, n.x) && payload.a.filter(f, f.on).all(o, o.k)'));
    expect(expression.elementReads().map((read) => read.join('.'))).toEqual(['payload.tags.[].name', 'payload.groups.[].items', 'payload.groups.[].items.[].id', 'payload.a.[].on']);
    expect(expression.variables().map((read) => read.join('.'))).toEqual(['payload.tags', 'payload.groups', 'payload.a']);
  });

  it('a list literal mixing a literal and a variable is checked and evaluated (every variable is dyn)', () => {
    const list = at("['notes.md', inputs.data]");
    expect(checkExpression(list)).not.toHaveProperty('problem');
    expect(compileExpression(list).evaluate({ inputs: { data: 'sales.csv' } })).toEqual(['notes.md', 'sales.csv']);
    expect(compileExpression(at("{'a': 1, 'b': inputs.n}")).evaluate({ inputs: { n: 2 } })).toEqual({ a: 1, b: 2 });
  });

  it('cannot reach the process environment or globals', () => {
    expect(() => compileExpression(at('process.env')).evaluate({})).toThrow();
  });
});
