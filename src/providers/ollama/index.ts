export { DEFAULT_OLLAMA_HOST } from '../endpoint-url.js';
export { createOllamaModel, type OllamaProviderOptions } from './ollama-model.js';
