export { parseOutput, type OutputFormat, type ParsedOutput } from './parse-output.js';
export { extractJsonText, readJson, type JsonReadResult } from './extract-json.js';
export { stripCodeFence } from './strip-fence.js';
