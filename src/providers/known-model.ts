import { editDistance, nearest, typoLimit } from '../spec/suggest.js';
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
  const models = [...new Set([...declared, ...Object.keys(loadPriceTable())])]
    .map((key) => ({ key, model: key.slice(key.indexOf(':') + 1) }))
    .filter(({ model }) => model !== '*')
    .map(({ key, model }) => ({ key, simple: simplify(model) }));
  // A stable sort: the longest shared beginning first, the order above after it, as ties are to go.
  models.sort((left, right) => sharedBeginning(simple, right.simple) - sharedBeginning(simple, left.simple));
  return nearest(models, (model) => editDistance(simple, model.simple), typoLimit(simple.length))?.key;
}

function simplify(text: string): string {
  return text.toLowerCase().replace(/[-_.]/g, '');
}

function sharedBeginning(left: string, right: string): number {
  let at = 0;
  while (at < left.length && left[at] === right[at]) at += 1;
  return at;
}
