import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let yaml: typeof import('yaml') | undefined;

/**
 * The `yaml` package, required on first use. Modules on every run's path (the configuration
 * loader, the source map, the run record) use it only when they meet YAML to parse or write: a
 * run of an SOP whose verdict is kept (src/cli/validation-cache.ts) and without a configuration
 * file never initialises its ~60 modules (README, Design: start-up). Kept once loaded: `require`
 * resolves its name again on every call (a file system stat each), and the source map asks per
 * template.
 */
export function yamlLib(): typeof import('yaml') {
  yaml ??= require('yaml') as typeof import('yaml');
  return yaml;
}
