export { requestKey, canonicalJson } from './request-key.js';
export { withCache, cacheEntryPath } from './with-cache.js';
export { withRecorder, CassetteWriter, type RecorderOptions } from './with-recorder.js';
export { createReplayModel } from './replay-model.js';
