import { HandlebarsEngine } from './handlebars-engine.js';
import { LiquidEngine } from './liquid-engine.js';
import type { TemplateEngine, TemplateEngineName, TemplateEngineOptions } from './types.js';

export type { CompiledTemplate, PartialRead, TemplateEngine, TemplateEngineName, TemplateEngineOptions } from './types.js';
export { templateError, toFilePosition } from './origin.js';
export { partialsSeeing } from './liquid-partials.js';

/** The template engine an SOP selects with `settings.templates`. */
export function createTemplateEngine(name: TemplateEngineName, options: TemplateEngineOptions): TemplateEngine {
  return name === 'handlebars' ? new HandlebarsEngine(options) : new LiquidEngine(options);
}
