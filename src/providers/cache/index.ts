export { requestKey, requestKeyFields, canonicalJson, type RequestKeyFields } from './request-key.js';
export { withCache, cacheEntryPath, type CacheOptions } from './with-cache.js';
export { withRecorder, CassetteWriter, type RecorderOptions } from './with-recorder.js';
export { createReplayModel, type ReplayOptions } from './replay-model.js';
export { readCassette, CASSETTE_FORMAT, CASSETTE_VERSION, type CassetteExchange, type CassetteHeader } from './cassette.js';
export { firstDifference } from './first-difference.js';
