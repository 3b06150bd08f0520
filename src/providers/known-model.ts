import { distance } from 'fastest-levenshtein';
import { loadPriceTable } from './cost/price-table.js';

/**
 * The known model (`openai:gpt-4o`, from the bundled price table) a bare name most likely meant:
 * `gpt4` for `openai:gpt-4o`. The configuration's own models come first (`declared`: its aliases
 * and the `provider:model` keys of its `prices`), then the table's. Compared without case, `-`, `_`
 * and `.`, as people write model names loosely (a `provider:model` by its model); within one edit
 * for short names, else two or a third of the length. Ties go to the model sharing the longest
 * beginning with the name, then to the order above (the user's models, then the commoner models
 * first). Undefined when none is near: the name may be a model of a local server.
 */
export function nearestKnownModel(name: string, declared: readonly string[] = []): string | undefined {
  const simple = simplify(name);
  if (simple.length < 2) return undefined;
  const limit = simple.length <= 4 ? 1 : Math.max(2, Math.floor(simple.length / 3));
  let best: { key: string; score: number; shared: number } | undefined;
  for (const key of new Set([...declared, ...Object.keys(loadPriceTable())])) {
    const model = key.slice(key.indexOf(':') + 1);
    if (model === '*') continue;
    const other = simplify(model);
    const score = distance(simple, other);
    const shared = sharedBeginning(simple, other);
    if (score > limit) continue;
    if (!best || score < best.score || (score === best.score && shared > best.shared)) best = { key, score, shared };
  }
  return best?.key;
}

function simplify(text: string): string {
  return text.toLowerCase().replace(/[-_.]/g, '');
}

function sharedBeginning(left: string, right: string): number {
  let at = 0;
  while (at < left.length && left[at] === right[at]) at += 1;
  return at;
}
