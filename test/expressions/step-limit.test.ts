import { describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { compileExpression, MAX_EVALUATION_STEPS } from '../../src/expressions/index.js';

const at = (source: string) => ({ source, origin: { file: 'team.yaml', line: 7, column: 9, pointer: '/stop_when/if', lineOffset: 0 } });

/** The error an evaluation throws, or undefined when it gives a value; and how long it took. */
function evaluation(source: string, context: Record<string, unknown>): { error: unknown; ms: number } {
  const started = performance.now();
  try {
    compileExpression(at(source)).evaluate(context);
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

const numbers = (count: number) => Array.from({ length: count }, (_, index) => index);

describe('CEL evaluation is bounded', () => {
  it('nested comprehensions over a large list stop at the step limit with one error naming the field, the limit and the fix', () => {
    // 3,000 × 3,000 × 3,000 = 27,000,000,000 steps: hours, and memory for as many elements.
    const { error, ms } = evaluation('payload.ids.map(a, payload.ids.map(b, payload.ids.map(c, a + b + c))).size() > 0', { payload: { ids: numbers(3000) } });
    expect(isSopError(error) && error.code).toBe('EXPRESSION_EVAL');
    const message = (error as Error).message;
    expect(message).toMatch(/^team\.yaml:7:9: the `stop_when\.if` expression `payload\.ids\.map\(a, .*` failed: it went over the limit of 10,000,000 steps of one evaluation/);
    expect(isSopError(error) && error.hint).toContain('nested comprehensions multiply');
    expect(isSopError(error) && error.hint).toContain('`maxItems`');
    // About a second alone (10,000,000 steps); minutes of slack for a loaded machine, not the hours it took.
    expect(ms).toBeLessThan(80_000);
  });

  it('an element bound twice cannot double a text or list past the limit (`[t + t].map(u, ...)`)', () => {
    let text = 'payload.text';
    let source = '';
    // Each level doubles: 30 levels would be 2^30 times the text.
    for (let level = 0; level < 30; level++) source += `[${text} + ${text}].map(v${level}, `, (text = `v${level}`);
    source += `size(${text}) > 0${')'.repeat(30)}.size() > 0`;
    const strings = evaluation(source, { payload: { text: 'x'.repeat(1024) } });
    expect((strings.error as Error)?.message).toContain('went over the limit of 10,000,000 steps');
    const lists = evaluation(source.replaceAll('payload.text', 'payload.list'), { payload: { list: numbers(64) } });
    expect((lists.error as Error)?.message).toContain('went over the limit of 10,000,000 steps');
  });

  it('what SOPs do stays well inside it: a list of 100,000 checked, a join of two lists of 2,000 objects, a long text', () => {
    expect(MAX_EVALUATION_STEPS).toBe(10_000_000);
    const items = numbers(100_000).map((id) => ({ id, state: id % 2 ? 'done' : 'open', title: `task ${id}` }));
    expect(compileExpression(at("payload.items.exists(t, t.state == 'done')")).evaluate({ payload: { items } })).toBe(true);
    const users = numbers(2000).map((id) => ({ id, name: `user ${id}`, email: `user${id}@example.com`, roles: ['dev', 'ops'], active: true }));
    expect(compileExpression(at('payload.tasks.all(t, payload.users.exists(u, u.id == t.owner))')).evaluate({ payload: { users, tasks: numbers(2000).map((owner) => ({ owner })) } })).toBe(true);
    expect(compileExpression(at("[payload.text].all(t, t.contains('z'))")).evaluate({ payload: { text: `${'y'.repeat(8_000_000)}z` } })).toBe(true);
  });

  it('each evaluation has the whole budget: many in a row near the limit all pass', () => {
    const expression = compileExpression(at('payload.a.all(x, payload.b.exists(y, x == y))'));
    const ids = numbers(2000); // ~2,000,000 steps + the elements, each time
    for (let round = 0; round < 6; round++) expect(expression.evaluate({ payload: { a: ids, b: ids } })).toBe(true);
  });
});
