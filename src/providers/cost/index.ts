export { loadPriceTable, priceFor, unknownPriceWarning, type Price, type PriceTable } from './price-table.js';
export { estimateCostUsd, estimatePromptTokens } from './estimate.js';
export { withCost } from './with-cost.js';
