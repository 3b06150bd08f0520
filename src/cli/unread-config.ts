import type { ResolvedConfig } from '../config/index.js';

/**
 * A warning for each configuration file under a name cosmiconfig reads for other tools
 * (`.config/soprc.yaml`, `sop.config.ts`) in the current folder and up: its settings never apply,
 * which nothing else says. `sop config`, `sop run` (and --dry-run), `sop prompts`, `sop validate`,
 * `sop eval` and `sop resume` give them.
 */
export async function unreadConfigWarnings(config: ResolvedConfig, cwd: string): Promise<string[]> {
  const { unreadConfigFiles } = await import('../config/index.js');
  return unreadConfigFiles(cwd, config.projectFile)
    .filter((unread) => !config.files.includes(unread))
    .map((file) => `${file} is not read: sop reads sop.config.yaml|yml|json|js|mjs|cjs, .soprc, .soprc.yaml|yml|json|js|mjs|cjs or package.json#sop (from the current folder up); rename it, e.g. to sop.config.yaml or sop.config.js, for its settings to apply`);
}
