export { parseOutput } from './parse-output.js';
export { extractJsonText, readJson } from './extract-json.js';
export { stripCodeFence } from './strip-fence.js';
