import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../package.json') as { version: string };

/** Version of this runner; SOPs state the versions they work with in `metadata.requires`. */
export const RUNNER_VERSION: string = pkg.version;
