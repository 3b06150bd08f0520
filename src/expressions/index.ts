import { createRequire } from 'node:module';
import type { Environment as CelEnvironment } from '@marcbachmann/cel-js';
import { isStackOverflow, SopError, type ErrorCode } from '../errors/index.js';
import type { ExpressionText } from '../spec/resolved.js';
import { toFilePosition } from '../templates/origin.js';
import { EACH as TEMPLATE_EACH } from '../templates/types.js';
import { CEL_OPTIONS } from './check.js';
import { expressionExcerpt } from './excerpt.js';
import { expressionNamed } from './field.js';
import { regexMatches, regexProblem } from './regex.js';

/**
 * Conditions and lists in SOPs are CEL (Common Expression Language): side-effect free, not Turing
 * complete, and unable to reach anything that is not passed in. Never JavaScript `eval`.
 */
export { expressionExcerpt } from './excerpt.js';
export { expressionField, expressionNamed } from './field.js';

export interface CompiledExpression {
  readonly source: string;
  /** Evaluates over the context; throws SopError `EXPRESSION_EVAL` located at the SOP line. */
  evaluate(context: Record<string, unknown>): unknown;
  /** Variable paths read from the context, as segments from the root (`payload.passed` → ['payload', 'passed']). */
  variables(): string[][];
  /**
   * Fields read through a comprehension's variable, from the root, `EACH` standing for every element
   * of the list: `payload.tags.all(t, t.name != '')` → ['payload', 'tags', '[]', 'name']. Only for
   * lists written as paths (not `filter(...)`'s result); `variables()` leaves these out.
   */
  elementReads(): string[][];
  /**
   * Each comparison of a path with a literal (text, number, `true`/`false`, `null`):
   * `payload.priority == 'high'`, `3 != payload.level`, each literal of `payload.priority in ['low',
   * 'high']`. A path through a comprehension's variable is read from the root with `EACH`, as
   * `elementReads` does (`payload.tasks.exists(t, t.state == 'done')` → ['payload', 'tasks', '[]',
   * 'state']); one whose list is not a path is left out.
   */
  valueComparisons(): ValueComparison[];
}

/** What a literal compared with a path is (a CEL int, uint or double is a number). */
export type LiteralValue = string | number | boolean | null;

/** A path compared with a literal; offsets into the expression's source. */
export interface ValueComparison {
  path: string[];
  operator: '==' | '!=' | 'in';
  value: LiteralValue;
  /** Where the literal is written, quotes and a minus sign included. */
  literalStart: number;
  literalEnd: number;
}

/** The segment of an element read that stands for every element of the list before it. */
export const EACH = TEMPLATE_EACH;

interface CelNode {
  op: string;
  args: unknown;
  /** The node's own place (a field's name, a call's target); `start` and `end` span its whole text. */
  pos?: number;
  start?: number;
  end?: number;
}

type CelProgram = ((context?: Record<string, unknown>) => unknown) & { ast: CelNode };

const require = createRequire(import.meta.url);
let environment: CelEnvironment | undefined;

/**
 * cel-js's `matches` runs JavaScript's backtracking RegExp (`(a+)+Z` on 64 characters blocks the
 * process for minutes). It cannot be overridden, so every `x.matches(p)` call is pointed at this
 * linear-time RE2 function instead (see `useLinearRegex`); messages show the name users wrote.
 */
const LINEAR_MATCHES = 'sopLinearMatches';

/**
 * cel-js (~20 ms to load) is loaded on the first expression: most SOP runs and validations of SOPs
 * without conditions never need it. It is an ES module without top-level await, which `require`
 * loads synchronously on every supported Node (20.19+), so compiling stays synchronous.
 */
function celEnvironment(): CelEnvironment {
  if (!environment) {
    const cel = require('@marcbachmann/cel-js') as { Environment: new (options: object) => CelEnvironment; EvaluationError: new (message: string) => Error };
    environment = new cel.Environment(CEL_OPTIONS).registerFunction(`string.${LINEAR_MATCHES}(string): bool`, (text: string, pattern: string) => {
      const problem = regexProblem(pattern);
      // cel-js's own error class: cel-js attaches the call's position to it (not to a plain Error), so the message points at the call.
      if (problem !== undefined) throw new cel.EvaluationError(`invalid regular expression \`${pattern}\`: ${problem}`);
      return regexMatches(text, pattern);
    });
  }
  return environment;
}

/**
 * Points the parsed expression's `matches` calls at the linear-time function (before its first,
 * type-checking, evaluation), and collects the patterns written as literals, so that `sop validate`
 * refuses a bad one before a run pays for the calls that come before it.
 */
function useLinearRegex(node: unknown, literals: Array<{ pattern: string; pos: number | undefined }>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) useLinearRegex(child, literals);
    return;
  }
  const celNode = node as CelNode;
  if (celNode.op === 'rcall' && Array.isArray(celNode.args) && celNode.args[0] === 'matches') {
    celNode.args[0] = LINEAR_MATCHES;
    const pattern = (celNode.args[2] as CelNode[] | undefined)?.[0];
    if (pattern?.op === 'value' && typeof pattern.args === 'string') literals.push({ pattern: pattern.args, pos: pattern.pos });
  }
  useLinearRegex(celNode.args, literals);
}

/**
 * Most steps one evaluation may take in its comprehensions (`map`, `filter`, `all`, `exists`,
 * `exists_one`): each element iterated is a step, and so is what a list or text element holds (an
 * item of a list, 16 characters of text; not a map's entries, which only a map literal or the data
 * makes, so a join over a model's objects costs a step per object). Nested comprehensions multiply (`a.all(x,
 * b.exists(y, ...))` over two lists of 10,000 is 100,000,000 steps), and an element bound twice
 * doubles (`[t + t].map(u, ...)`): without a bound one `when.if` could run for hours or fill the
 * memory. cel-js bounds only the expression's size (its AST), not its evaluation.
 */
export const MAX_EVALUATION_STEPS = 10_000_000;
const CHARACTERS_PER_STEP = 16;

/** The steps the evaluation running now may still take (evaluation is synchronous: one at a time). */
let stepsLeft = MAX_EVALUATION_STEPS;

class StepLimitExceeded extends Error {}

/** What iterating `value` costs (see `MAX_EVALUATION_STEPS`); stops counting once the budget is spent. */
function chargeIteration(value: unknown): void {
  if (value instanceof Map) stepsLeft -= value.size;
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) stepsLeft -= Object.keys(value).length;
  const pending: unknown[] = Array.isArray(value) ? [value] : [];
  while (stepsLeft >= 0 && pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') stepsLeft -= Math.floor(item.length / CHARACTERS_PER_STEP);
    else if (Array.isArray(item)) {
      stepsLeft -= item.length;
      if (stepsLeft >= 0) for (const element of item) pending.push(element);
    }
  }
  if (stepsLeft < 0) throw new StepLimitExceeded();
}

/**
 * Has every comprehension charge what it iterates (see `MAX_EVALUATION_STEPS`): the node of its
 * list gets an `evaluate` that charges the value it gives. cel-js resolves a node's `evaluate` on
 * its first call by assigning it; the accessor keeps that assignment and wraps it.
 */
function countComprehensionSteps(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) countComprehensionSteps(child);
    return;
  }
  const celNode = node as CelNode & { meta?: { alternate?: { op?: string; args?: { iterable?: object } } } };
  if (typeof celNode.op !== 'string') return;
  const iterable = celNode.op === 'rcall' && celNode.meta?.alternate?.op === 'comprehension' ? celNode.meta.alternate.args?.iterable : undefined;
  if (iterable && !Object.prototype.hasOwnProperty.call(iterable, 'evaluate')) chargeWhatItGives(iterable as { evaluate: Evaluate });
  if (celNode.op !== 'value') countComprehensionSteps(celNode.args);
}

type Evaluate = (this: unknown, ...args: unknown[]) => unknown;

function chargeWhatItGives(node: { evaluate: Evaluate }): void {
  const resolve = node.evaluate;
  let resolved: Evaluate | undefined;
  function charged(this: unknown, ...args: unknown[]): unknown {
    const value = resolved!.apply(this, args);
    chargeIteration(value);
    return value;
  }
  Object.defineProperty(node, 'evaluate', {
    configurable: true,
    get: () => (resolved ? charged : resolve),
    set: (evaluate: Evaluate) => {
      resolved = evaluate;
    },
  });
}

/** Runs a program with a fresh step budget. */
function runCounted(program: CelProgram, context: Record<string, unknown>): unknown {
  stepsLeft = MAX_EVALUATION_STEPS;
  return program(context);
}

/** Comprehension macros bind their first argument as a local variable. */
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function locatedError(code: ErrorCode, expression: ExpressionText, offset: number | undefined, message: string, hint?: string): SopError {
  const at = toFilePosition(expression.origin, offset === undefined ? undefined : textPosition(expression.source, offset));
  const { file, pointer } = expression.origin;
  return new SopError(code, `${file}:${at.line}:${at.column}: ${message}`, {
    hint,
    diagnostics: [{ code, severity: 'error', message, file, line: at.line, column: at.column, pointer, ...(hint ? { hint } : {}) }],
  });
}

/** The 1-based line and column of an offset in a (possibly multi-line) expression. */
function textPosition(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Deepest expression tree accepted (CEL's own limit for nested calls, selects and lists). The type
 * checker and the evaluator recurse once per level; deeper input would overflow the stack.
 */
const MAX_EXPRESSION_DEPTH = 250;

function tooDeep(expression: ExpressionText): SopError {
  return locatedError('EXPRESSION_SYNTAX', expression, undefined, `expression nests too deeply (more than ${MAX_EXPRESSION_DEPTH} levels: each \`!\`, \`-\`, operator, call, field or list is one)`,
    'simplify it (`!!x` is `x`), or split it: several conditions, or a list such as `[a, b, c].all(x, x)`');
}

const CEL_WORDS: Record<string, string> = { and: '&&', or: '||', not: '!' };

/** What to write for an expression that does not parse: Python's `and`/`or`/`not` and JavaScript's `===` in CEL's words. */
function syntaxHint(source: string): string {
  const code = source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const words = [...new Set([...code.matchAll(/(?<![.\w])(and|or|not)(?!\w)/g)].map((match) => match[1] as string))];
  const said = words.map((word) => `\`${word}\` as \`${CEL_WORDS[word]}\``);
  if (/===|!==/.test(code)) said.push('`===` as `==` (and `!==` as `!=`)');
  if (said.length > 0) return `CEL writes ${said.join(', ')}: e.g. \`payload.score >= 7 && !payload.draft\``;
  return 'conditions are CEL, e.g. `payload.passed == false`, `size(payload.items) > 0`, `"x" in payload.tags`';
}

/** Compiles a CEL expression once; throws SopError `EXPRESSION_SYNTAX` located at the SOP line and column. */
export function compileExpression(expression: ExpressionText): CompiledExpression {
  let program: CelProgram;
  const literalPatterns: Array<{ pattern: string; pos: number | undefined }> = [];
  try {
    program = celEnvironment().parse(expression.source) as unknown as CelProgram;
    useLinearRegex(program.ast, literalPatterns);
    countComprehensionSteps(program.ast);
  } catch (error) {
    if (isStackOverflow(error)) throw tooDeep(expression);
    const node = (error as { node?: { pos?: number } }).node;
    throw locatedError('EXPRESSION_SYNTAX', expression, node?.pos, `expression does not parse: ${firstLine((error as Error).message)}`, syntaxHint(expression.source));
  }
  if (treeDepth(program.ast) > MAX_EXPRESSION_DEPTH) throw tooDeep(expression);
  for (const { pattern, pos } of literalPatterns) {
    const problem = regexProblem(pattern);
    if (problem) {
      throw locatedError('EXPRESSION_SYNTAX', expression, pos, `invalid regular expression ${JSON.stringify(pattern)} in \`matches\`: ${problem}`,
        'patterns are RE2 syntax: no lookaround or backreferences; escape a literal `(` as `\\\\(` in a CEL string');
    }
  }
  return {
    source: expression.source,
    evaluate(context: Record<string, unknown>): unknown {
      try {
        return fromCel(runCounted(program, toCel(context) as Record<string, unknown>));
      } catch (error) {
        if (error instanceof StepLimitExceeded) {
          throw locatedError('EXPRESSION_EVAL', expression, undefined,
            `${expressionNamed(expression.origin.pointer)} \`${expressionExcerpt(expression.source)}\` failed: it went over the limit of ${MAX_EVALUATION_STEPS.toLocaleString('en-US')} steps of one evaluation (each element a \`map\`, \`filter\`, \`all\`, \`exists\` or \`exists_one\` goes over is one, and each list item or ${CHARACTERS_PER_STEP} characters of text it holds)`,
            'iterate over less: nested comprehensions multiply (two lists of 10,000 are 100,000,000 steps), so look items up in a map, or filter the list once; bound the lists the data may hold in its message type\'s schema (`maxItems`)');
        }
        if (isStackOverflow(error)) {
          throw locatedError('EXPRESSION_EVAL', expression, undefined, `${expressionNamed(expression.origin.pointer)} \`${expressionExcerpt(expression.source)}\` failed: the value it reads nests too deeply to evaluate`,
            'the data (e.g. a model\'s JSON output) is nested thousands of levels deep: constrain it with the message type\'s schema');
        }
        const reason = firstLine((error as Error).message).replaceAll(LINEAR_MATCHES, 'matches');
        const offset = failureOffset(error, program.ast, expression.source, context);
        throw locatedError('EXPRESSION_EVAL', expression, offset, `${expressionNamed(expression.origin.pointer)} \`${expressionExcerpt(expression.source, offset)}\` failed: ${reason}`, evaluationHint(reason));
      }
    },
    variables: () => collectReads(program.ast).variables,
    elementReads: () => collectReads(program.ast).elementReads,
    valueComparisons: () => valueComparisons(program.ast),
  };
}

/**
 * Where in the expression an evaluation failed: the part cel-js names, but for a `&&`/`||` operand
 * that is not a boolean. There cel-js (8.0.0) names the left operand whichever is wrong, so
 * `ok &&\n  payload.count` would point at `ok`, a line above the culprit: the right operand is
 * evaluated alone (CEL has no side effects) and named when it gives no boolean. Not inside a macro,
 * whose variables (`x` of `all(x, ...)`) have no value outside it.
 */
function failureOffset(error: unknown, ast: CelNode, source: string, context: Record<string, unknown>): number | undefined {
  const { node, code } = error as { node?: CelNode; code?: string };
  if (code !== 'invalid_logical_operand' || node === undefined) return node?.pos;
  const right = rightOperandOf(ast, node);
  if (right?.start !== undefined && right.end !== undefined) {
    try {
      const alone = celEnvironment().parse(source.slice(right.start, right.end)) as unknown as CelProgram;
      useLinearRegex(alone.ast, []);
      countComprehensionSteps(alone.ast);
      if (typeof runCounted(alone, toCel(context) as Record<string, unknown>) !== 'boolean') return right.start;
    } catch {
      // It fails alone too: whatever cel-js named stands.
    }
  }
  return node.start ?? node.pos;
}

/** The right operand of the `&&`/`||` whose left operand is `left`, outside macros; undefined when there is none. */
function rightOperandOf(root: CelNode, left: CelNode): CelNode | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const celNode = node as CelNode;
    if (typeof celNode.op !== 'string' || celNode.op === 'value') continue;
    if (celNode.op === 'rcall' && Array.isArray(celNode.args) && MACROS.has(celNode.args[0] as string)) {
      stack.push(celNode.args[1]);
      continue;
    }
    if ((celNode.op === '&&' || celNode.op === '||') && Array.isArray(celNode.args) && celNode.args[0] === left) return celNode.args[1] as CelNode;
    stack.push(celNode.args);
  }
  return undefined;
}

/** What to do about an evaluation failure, by its cause (a missing field is not a division by zero). */
function evaluationHint(reason: string): string {
  if (/division by zero|modulus by zero/i.test(reason)) return 'guard the divisor: `x != 0 ? total / x : 0`';
  if (/no such overload|no matching overload/i.test(reason)) {
    return 'the values have other types than the operation needs: convert with int(), double() or string(), or compare like with like';
  }
  return 'use has(a.b) to test for an optional field before reading it';
}

/** JSON whole numbers become CEL ints so `payload.count + 1` and `payload.count > 3` both work. */
function toCel(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) result[key] = toCel(entry);
    return result;
  }
  return value;
}

function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, entry]) => [String(key), fromCel(entry)]));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fromCel(entry)]));
  }
  return value;
}

/** Depth of the expression tree, measured without recursion (the tree may be too deep to recurse). */
function treeDepth(root: CelNode): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const child of node) stack.push([child, depth]);
      continue;
    }
    const celNode = node as CelNode;
    if (typeof celNode.op !== 'string') continue;
    deepest = Math.max(deepest, depth);
    if (celNode.op !== 'value') stack.push([celNode.args, depth + 1]);
  }
  return deepest;
}

/**
 * Member chains rooted at free identifiers (`variables`), and those rooted at a comprehension's
 * variable whose list is a path (`elementReads`, through `EACH`). A variable bound to what is not
 * a path (`filter(...)`'s result, a literal) reads nothing that can be named.
 */
function collectReads(root: CelNode): { variables: string[][]; elementReads: string[][] } {
  const found = new Map<string, string[]>();
  const throughElements = new Map<string, string[]>();
  /** `bound`: each comprehension variable in scope, with the path of its list's elements when known. */
  const visit = (node: unknown, bound: ReadonlyMap<string, string[] | undefined>): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, bound);
      return;
    }
    const celNode = node as CelNode;
    const chain = memberChain(celNode);
    if (chain) {
      const [head, ...rest] = chain as [string, ...string[]];
      if (!bound.has(head)) found.set(chain.join('.'), chain);
      else {
        const elements = bound.get(head);
        // The element itself (`t` alone) is always there: only its fields can be missing.
        if (elements && rest.length > 0) throughElements.set([...elements, ...rest].join('.'), [...elements, ...rest]);
      }
      return;
    }
    if (celNode.op === 'rcall' && Array.isArray(celNode.args)) {
      const [name, target, callArgs] = celNode.args as [string, CelNode, CelNode[]];
      visit(target, bound);
      if (MACROS.has(name) && callArgs[0]?.op === 'id') {
        visit(callArgs.slice(1), new Map([...bound, [callArgs[0].args as string, elementsOf(memberChain(target), bound)]]));
      } else visit(callArgs, bound);
      return;
    }
    if (celNode.op === 'value' || celNode.op === 'id' && typeof celNode.args !== 'string') return;
    visit(celNode.args, bound);
  };
  visit(root, new Map());
  return { variables: [...found.values()], elementReads: [...throughElements.values()] };
}

/** See `CompiledExpression.valueComparisons`; `bound`: each comprehension variable in scope, with the path of its list's elements when known. */
function valueComparisons(root: CelNode): ValueComparison[] {
  const found: ValueComparison[] = [];
  const pathOf = (node: CelNode | undefined, bound: ReadonlyMap<string, string[] | undefined>): string[] | undefined => {
    const chain = node === undefined ? undefined : memberChain(node);
    if (!chain) return undefined;
    const [head, ...rest] = chain as [string, ...string[]];
    if (!bound.has(head)) return chain.length > 1 ? chain : undefined;
    const elements = bound.get(head);
    return elements && [...elements, ...rest];
  };
  const add = (path: string[] | undefined, operator: ValueComparison['operator'], node: CelNode | undefined): boolean => {
    const literal = node === undefined ? undefined : literalOf(node);
    if (path && literal) found.push({ path, operator, ...literal });
    return literal !== undefined;
  };
  const visit = (node: unknown, bound: ReadonlyMap<string, string[] | undefined>): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child, bound);
      return;
    }
    const celNode = node as CelNode;
    if (celNode.op === 'value') return;
    const [left, right] = Array.isArray(celNode.args) ? (celNode.args as [CelNode | undefined, CelNode | undefined]) : [undefined, undefined];
    if (celNode.op === '==' || celNode.op === '!=') {
      if (!add(pathOf(left, bound), celNode.op, right)) add(pathOf(right, bound), celNode.op, left);
    } else if (celNode.op === 'in' && right?.op === 'list' && Array.isArray(right.args)) {
      const path = pathOf(left, bound);
      for (const item of right.args as CelNode[]) add(path, 'in', item);
    } else if (celNode.op === 'rcall' && Array.isArray(celNode.args) && MACROS.has(celNode.args[0] as string)) {
      const [, target, callArgs] = celNode.args as [string, CelNode, CelNode[]];
      visit(target, bound);
      if (callArgs[0]?.op === 'id') visit(callArgs.slice(1), new Map([...bound, [callArgs[0].args as string, elementsOf(memberChain(target), bound)]]));
      else visit(callArgs.slice(1), bound);
      return;
    }
    visit(celNode.args, bound);
  };
  visit(root, new Map());
  return found;
}

/** A literal's value and place (`-3` is a minus applied to `3`); undefined for anything else (a uint's wrapper, bytes, a path). */
function literalOf(node: CelNode): Omit<ValueComparison, 'path' | 'operator'> | undefined {
  if (node.start === undefined || node.end === undefined) return undefined;
  if (node.op === '-_' && node.args && typeof node.args === 'object' && !Array.isArray(node.args)) {
    const negated = literalOf(node.args as CelNode);
    return negated && typeof negated.value === 'number' ? { value: -negated.value, literalStart: node.start, literalEnd: node.end } : undefined;
  }
  if (node.op !== 'value') return undefined;
  const value = node.args;
  if (typeof value === 'bigint') return { value: Number(value), literalStart: node.start, literalEnd: node.end };
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { value, literalStart: node.start, literalEnd: node.end };
  return undefined;
}

/**
 * The path of the elements of the list a comprehension runs over: `payload.tags` → its `[]`; a list
 * read through another comprehension's variable (`g.items` of `g` in `payload.groups`) continues
 * that one's path. Undefined when the list is not a path, or its variable's is unknown.
 */
function elementsOf(list: string[] | undefined, bound: ReadonlyMap<string, string[] | undefined>): string[] | undefined {
  if (!list) return undefined;
  const [head, ...rest] = list as [string, ...string[]];
  if (!bound.has(head)) return [...list, EACH];
  const outer = bound.get(head);
  return outer && [...outer, ...rest, EACH];
}

/** `a.b["c"]` → ['a', 'b', 'c']; undefined when the node is not a plain member chain. */
function memberChain(node: CelNode): string[] | undefined {
  if (node.op === 'id' && typeof node.args === 'string') return [node.args];
  if ((node.op === '.' || node.op === '[]') && Array.isArray(node.args)) {
    const [target, key] = node.args as [CelNode, unknown];
    const base = memberChain(target);
    if (!base) return undefined;
    if (typeof key === 'string') return [...base, key];
    const keyNode = key as CelNode;
    return keyNode?.op === 'value' && typeof keyNode.args === 'string' ? [...base, keyNode.args] : base;
  }
  return undefined;
}

export { checkExpression } from './check.js';
