export { loadPriceTable, priceFor, priceForKey, unknownPriceWarning, type Price, type PriceTable } from './price-table.js';
export { estimateCostUsd, estimatePromptTokens, estimateTextTokens, usd, usdFor } from './estimate.js';
export { withCost, type CostOptions } from './with-cost.js';
