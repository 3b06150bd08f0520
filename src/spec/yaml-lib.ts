import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The `yaml` package, required on first use. Modules on every run's path (the configuration
 * loader, the source map, the run record) use it only when they meet YAML to parse or write: a
 * run of an SOP whose verdict is kept (src/cli/validation-cache.ts) and without a configuration
 * file never initialises its ~60 modules (README, Design: start-up).
 */
export function yamlLib(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
}
