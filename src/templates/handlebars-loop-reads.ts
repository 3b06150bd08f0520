import { EACH } from './types.js';

/**
 * Fields read through `{{#each}}`'s items, from the root: `{{#each message.payload.steps}}{{title}}
 * {{/each}}` (or `as |step|` and `{{step.title}}`) reads `message.payload.steps[].title` (`EACH` for
 * every item); `{{#with}}`, `../` and `@root` are followed. Helper names are not reads; a context
 * that is not known statically (a section `{{#name}}`) reads nothing here.
 */
export function handlebarsLoopReads(program: hbs.AST.Program, helpers: ReadonlySet<string>): string[][] {
  const reads: string[][] = [];
  const seen = new Set<string>();
  /** `contexts`: `this` in each enclosing block, innermost last (undefined: not known). */
  const resolve = (expression: hbs.AST.Expression, contexts: ReadonlyArray<string[] | undefined>, params: ReadonlyMap<string, string[] | undefined>): string[] | undefined => {
    if (expression.type !== 'PathExpression') return undefined;
    const path = expression as hbs.AST.PathExpression;
    if (path.data) return path.parts[0] === 'root' ? path.parts.slice(1) : undefined;
    const [head, ...rest] = path.parts;
    if (path.depth === 0 && head !== undefined && !/^(this|\.)/.test(path.original) && params.has(head)) {
      const bound = params.get(head);
      return bound && [...bound, ...rest];
    }
    const base = contexts[contexts.length - 1 - path.depth];
    return base && [...base, ...path.parts];
  };
  const read = (expression: hbs.AST.Expression, contexts: ReadonlyArray<string[] | undefined>, params: ReadonlyMap<string, string[] | undefined>): void => {
    if (expression.type === 'SubExpression') return visitCall(expression as hbs.AST.SubExpression, contexts, params);
    const path = resolve(expression, contexts, params);
    if (!path || !path.includes(EACH) || path.at(-1) === EACH) return;
    const key = path.join('\0');
    if (!seen.has(key)) {
      seen.add(key);
      reads.push(path);
    }
  };
  const visitCall = (call: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression, contexts: ReadonlyArray<string[] | undefined>, params: ReadonlyMap<string, string[] | undefined>): void => {
    const head = call.path as hbs.AST.PathExpression;
    const isHelper = head.type === 'PathExpression' && (helpers.has(head.original) || call.params.length > 0 || call.type === 'BlockStatement');
    if (!isHelper) read(head, contexts, params);
    for (const param of call.params) read(param, contexts, params);
    for (const pair of call.hash?.pairs ?? []) read(pair.value, contexts, params);
  };
  const visit = (nodes: readonly hbs.AST.Statement[], contexts: ReadonlyArray<string[] | undefined>, params: ReadonlyMap<string, string[] | undefined>): void => {
    for (const node of nodes) {
      if (node.type === 'MustacheStatement') visitCall(node as hbs.AST.MustacheStatement, contexts, params);
      if (node.type !== 'BlockStatement') continue;
      const block = node as hbs.AST.BlockStatement;
      visitCall(block, contexts, params);
      const helper = (block.path as hbs.AST.PathExpression).original;
      const [subject] = block.params;
      const target = subject === undefined ? undefined : resolve(subject, contexts, params);
      // `each` gives every item as `this`; `with` its value; other helpers (if, unless) keep `this`.
      const inner = helper === 'each' ? target && [...target, EACH] : helper === 'with' ? target : helpers.has(helper) ? contexts[contexts.length - 1] : undefined;
      const changesContext = helper === 'each' || helper === 'with' || !helpers.has(helper);
      const innerParams = new Map(params);
      const [itemParam, ...others] = block.program.blockParams ?? [];
      if (itemParam !== undefined) innerParams.set(itemParam, inner);
      // `as |item index|`: the index (or key) is no read of the context.
      for (const other of others) innerParams.set(other, undefined);
      visit(block.program.body, changesContext ? [...contexts, inner] : contexts, innerParams);
      if (block.inverse) visit(block.inverse.body, contexts, params);
    }
  };
  visit(program.body, [[]], new Map());
  return reads;
}
