/**
 * What `bin/sop.js` loads to run a command, bundled with oclif into dist/bundle/sop.cjs at build time
 * (scripts/bundle-cli.mjs): oclif's entry points, the command list (package.json `oclif.commands`)
 * and the help class (`oclif.helpClass`), from one copy of oclif.
 */
export { handle, run } from '@oclif/core';
export { COMMANDS } from './commands.js';
export { unknownCommandEnvelope } from './json-envelope.js';
export { errorOutsideCommand } from './usage-error.js';
export { default as SopHelp } from './help.js';
export { hasValidatedAnew, useValidationCache } from './validation-cache.js';
