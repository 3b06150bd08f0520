import { createRequire } from 'node:module';
import { SopError } from '../../errors/index.js';
// The type import also makes tsc copy prices.json next to the compiled file in dist/.
import type bundledPricesJson from './prices.json';

const require = createRequire(import.meta.url);

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
}

/** Prices keyed `provider:model` (`openai:gpt-4o-mini`), or `provider:*` for every model of a provider. */
export type PriceTable = Readonly<Record<string, Price>>;

/** `-2024-08-06`, `-20250514`, `-latest`: a dated or aliased release of the undated model. */
const RELEASE_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/**
 * The bundled prices (`prices.json`) with `overrides` (config `prices:`) on top. Overrides are
 * checked: a key must be `provider:model` and both prices non-negative numbers.
 */
export function loadPriceTable(overrides: Record<string, unknown> = {}): PriceTable {
  const bundled = require('./prices.json') as typeof bundledPricesJson;
  const table: Record<string, Price> = {};
  for (const [key, value] of Object.entries(bundled)) if (!key.startsWith('_')) table[key] = value as Price;
  for (const [key, value] of Object.entries(overrides)) table[key] = checkedPrice(key, value);
  return Object.freeze(table);
}

function checkedPrice(key: string, value: unknown): Price {
  const pointer = `/prices/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (!/^[^:\s]+:\S+$/.test(key)) {
    throw new SopError('CONFIG_INVALID', `price key "${key}" at ${pointer} is not provider:model`, {
      hint: 'write prices as `openai:gpt-4o-mini: { input: 0.15, output: 0.6 }` (USD per million tokens)',
    });
  }
  const price = value as Partial<Price> | null;
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (typeof price !== 'object' || price === null || !valid(price.input) || !valid(price.output)) {
    throw new SopError('CONFIG_INVALID', `price for "${key}" at ${pointer} must be { input, output } with non-negative numbers`, {
      hint: 'USD per million tokens, e.g. `{ input: 0.15, output: 0.6 }`',
    });
  }
  return { input: price.input, output: price.output };
}

/**
 * The price of a model: exact `provider:model`, then the undated model (`gpt-4o-2024-08-06` →
 * `gpt-4o`; `gpt-4o-mini` never falls back to `gpt-4o`), then `provider:*`.
 */
export function priceFor(table: PriceTable, provider: string, model: string): Price | undefined {
  const exact = table[`${provider}:${model}`];
  if (exact) return exact;
  const undated = model.replace(RELEASE_SUFFIX, '');
  if (undated !== model) {
    const release = table[`${provider}:${undated}`];
    if (release) return release;
  }
  return table[`${provider}:*`];
}

/** `priceFor` with a `provider:model` key. */
export function priceForKey(table: PriceTable, modelKey: string): Price | undefined {
  const colon = modelKey.indexOf(':');
  if (colon <= 0) return undefined;
  return priceFor(table, modelKey.slice(0, colon), modelKey.slice(colon + 1));
}

/** The warning a caller prints once per model without a price: its spending is not counted. */
export function unknownPriceWarning(modelKey: string): string {
  return (
    `no price known for ${modelKey}: its cost is not counted towards the budget; ` +
    `add it to sop.config.yaml as \`prices: { "${modelKey}": { input: <USD per 1M prompt tokens>, output: <USD per 1M completion tokens> } }\``
  );
}
