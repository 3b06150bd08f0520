export { createOllamaModel } from './ollama-model.js';
