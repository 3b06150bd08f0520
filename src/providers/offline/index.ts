/** The built-in offline model and the pieces other modules reuse. */

export { createOfflineModel, estimateUsage, offlineReply } from './offline-model.js';
export { OFFLINE_NOTICE } from './request-context.js';
export { generateFromSchema } from './json-from-schema.js';
export { isOfflineVerdict } from './tool-calls.js';
