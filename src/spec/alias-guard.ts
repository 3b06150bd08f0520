import { isAlias, isCollection, isNode, isPair, type Document, type Node } from 'yaml';

/** Most aliases (`*name`) an SOP may use. */
export const MAX_ALIAS_COUNT = 100;
/** Most nodes aliases may add to the document once expanded (beyond the nodes written in the file). */
export const MAX_EXPANDED_NODES = 100_000;

export interface AliasProblem {
  /** The alias at which the limit was crossed. */
  node: Node;
  reason: 'count' | 'expansion' | 'cycle';
}

class Stop extends Error {
  constructor(readonly problem: AliasProblem) {
    super(problem.reason);
  }
}

/**
 * Refuses alias bombs (`a: &a [x, x]`, `b: &b [*a, *a]`, ...) before the document becomes data:
 * counts the aliases and the number of nodes the data would have, without expanding anything.
 * Sizes of anchored nodes are memoized, so every source node is visited once.
 */
export function checkAliases(document: Document): AliasProblem | undefined {
  // A large file without aliases is not a bomb: only what aliases add counts against the limit.
  let written = 0;
  let aliases = 0;
  // A walk of its own: yaml's `visit` builds a frozen path array at every node (600,000 in a 10,000-role SOP).
  // The nesting is bounded already (checkYamlStructure runs first).
  const count = (node: unknown): void => {
    if (isPair(node)) {
      written += 1;
      count(node.key);
      count(node.value);
    } else if (isNode(node)) {
      written += 1;
      if (isAlias(node)) aliases += 1;
      else if (isCollection(node)) for (const item of node.items) count(item);
    }
  };
  count(document.contents);
  if (aliases === 0) return undefined;
  const limit = written + MAX_EXPANDED_NODES;
  const sizes = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  let aliasCount = 0;

  const sizeOf = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    if (isPair(node)) return sizeOf(node.key) + sizeOf(node.value);
    if (isAlias(node)) {
      aliasCount += 1;
      if (aliasCount > MAX_ALIAS_COUNT) throw new Stop({ node, reason: 'count' });
      const target = node.resolve(document);
      if (!target) return 1;
      if (inProgress.has(target)) throw new Stop({ node, reason: 'cycle' });
      return sizeOf(target);
    }
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    inProgress.add(node);
    let total = 1;
    for (const item of node.items) {
      total += sizeOf(item);
      if (total > limit) throw new Stop({ node: aliasIn(item) ?? (node as Node), reason: 'expansion' });
    }
    inProgress.delete(node);
    sizes.set(node, total);
    return total;
  };

  try {
    sizeOf(document.contents);
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.problem;
    throw error;
  }
}

/** The alias that made an item too big: the item itself or its value. */
function aliasIn(item: unknown): Node | undefined {
  if (isAlias(item)) return item;
  if (isPair(item) && isAlias(item.value)) return item.value;
  return undefined;
}
