export { createOllamaModel, DEFAULT_OLLAMA_HOST, type OllamaProviderOptions } from './ollama-model.js';
