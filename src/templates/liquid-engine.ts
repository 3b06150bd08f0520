import { createRequire } from 'node:module';
import type { Liquid, Template } from 'liquidjs';
import type { SourceOrigin } from '../spec/resolved.js';
import { templateError, type TemplatePosition } from './origin.js';
import type { CompiledTemplate, TemplateEngine, TemplateEngineOptions } from './types.js';

interface LiquidErrorLike {
  message: string;
  name?: string;
  token?: { getPosition?: () => [number, number] };
}

const require = createRequire(import.meta.url);

/** liquidjs appends ", line:L, col:C" to its messages; we report the SOP position instead. */
function cleanMessage(message: string): string {
  return message.replace(/, line:\d+, col:\d+[\s\S]*$/, '');
}

function positionOf(error: LiquidErrorLike): TemplatePosition | undefined {
  const position = error.token?.getPosition?.();
  return position ? { line: position[0], column: position[1] } : undefined;
}

/** Liquid (liquidjs): strict variables and filters, no output escaping, includes read from the SOP's folder. */
export class LiquidEngine implements TemplateEngine {
  readonly name = 'liquid' as const;
  private readonly liquid: Liquid;

  constructor(options: TemplateEngineOptions) {
    // liquidjs is a CommonJS bundle: `require` loads it in ~10 ms where `import` spends ~25 ms more
    // scanning its 200 KB for named exports. Loaded on the first Liquid SOP, not at start-up.
    const { Liquid: LiquidClass } = require('liquidjs') as { Liquid: typeof Liquid };
    this.liquid = new LiquidClass({
      root: [options.partialsRoot],
      partials: [options.partialsRoot],
      relativeReference: false,
      extname: '.liquid',
      // Empty strings and empty lists are false, as SOP authors coming from JavaScript/YAML expect.
      jsTruthy: true,
      strictVariables: true,
      strictFilters: true,
      // `{% if feedback %}` must work for optional values; plain output stays strict.
      lenientIf: true,
      ownPropertyOnly: true,
      cache: true,
      // A fixed locale for the `date` filter: output does not depend on the machine, and liquidjs
      // does not ask Intl for the default locale (~20 ms on a cold start).
      locale: 'en-US',
    });
  }

  compile(text: string, origin: SourceOrigin): CompiledTemplate {
    let parsed: Template[];
    try {
      parsed = this.liquid.parse(text);
    } catch (error) {
      const liquidError = error as LiquidErrorLike;
      throw templateError('TEMPLATE_SYNTAX', origin, positionOf(liquidError), `template syntax error: ${cleanMessage(liquidError.message)}`,
        'check that every {% tag %} is closed ({% endif %}, {% endfor %}) and every {{ output }} has its closing braces');
    }
    const liquid = this.liquid;
    return {
      render(context: Record<string, unknown>): string {
        try {
          return liquid.renderSync(parsed, context) as string;
        } catch (error) {
          const liquidError = error as LiquidErrorLike;
          throw templateError('TEMPLATE_RENDER', origin, positionOf(liquidError), cleanMessage(liquidError.message),
            liquidError.name === 'UndefinedVariableError'
              ? `available here: ${Object.keys(context).sort().join(', ')}`
              : undefined);
        }
      },
      variables(): string[][] {
        return liquid
          .globalVariableSegmentsSync(parsed, { partials: false })
          .map((segments) => {
            // A computed segment (`a[b]`) ends what can be known statically.
            const end = segments.findIndex((segment) => typeof segment !== 'string' && typeof segment !== 'number');
            return (end === -1 ? segments : segments.slice(0, end)).map(String);
          });
      },
    };
  }
}
