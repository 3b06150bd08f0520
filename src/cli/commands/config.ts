import type { ConfigEntry, ResolvedConfig } from '../../config/index.js';
import type { DefaultModelProblem } from '../../providers/default-model-check.js';
import { SopCommand } from '../base-command.js';

/** `sop config --json`'s result: the files read and every value with its source. */
export interface ConfigResult {
  files: readonly string[];
  values: ConfigEntry[];
}

export default class Config extends SopCommand<ConfigResult> {
  static override summary = 'Show the resolved configuration: every value and where it came from (secrets as ***).';
  static override description = `Sources, lowest to highest precedence: built-in defaults, the user file ($XDG_CONFIG_HOME/sop/config.yaml), the project file (sop.config.yaml, .soprc, package.json#sop, ... found from the current folder upward), environment variables (those the environment lacks taken from .env in the current folder), flags.`;
  static override examples = ['<%= config.bin %> config', '<%= config.bin %> config --json'];
  async run(): Promise<ConfigResult> {
    await this.parse(Config);
    const { loadConfig } = await import('../../config/index.js');
    const config = await loadConfig({ cwd: process.cwd(), env: process.env, ...(this.envFile ? { envFile: this.envFile } : {}) });
    const values = config.explain();
    const { formatTable } = await import('../format-table.js');
    this.out(formatTable(['KEY', 'VALUE', 'SOURCE'], values.map((entry) => [entry.key, entry.value, entry.source])));
    this.note(config.files.length > 0 ? `files read: ${config.files.join(', ')}` : 'no configuration file found (defaults and environment only)');
    if (this.envFile) this.note(`environment variables from ${this.envFile.file}: ${this.envFile.names.join(', ') || 'none (the environment already sets each one)'}`);
    for (const warning of await (await import('../unread-config.js')).unreadConfigWarnings(config, process.cwd())) this.warning(warning);
    const { defaultModelProblem } = await import('../../providers/default-model-check.js');
    const problem = defaultModelProblem(config);
    if (problem) this.warning(unusableDefaultModel(config, problem));
    return { files: config.files, values };
  }
}

/**
 * The warning for a `default_model` no run could use: where it is set (`FILE:LINE:COL: `, or the
 * variable or flag it came from), why, what it must name, and the fix.
 */
function unusableDefaultModel(config: ResolvedConfig, problem: DefaultModelProblem): string {
  const origin = config.originOf(['default_model']);
  const value = `default_model \`${String(config.data.default_model)}\``;
  const where = origin?.file ? `${origin.file}${origin.line ? `:${origin.line}:${origin.column ?? 1}` : ''}: ${value}` : `${value} (${config.sourceOf(['default_model']) ?? 'default'})`;
  return `${where} cannot answer the runs that fall back to it (no --model, no model in the SOP): ${problem.reason}; expected a model of a configured provider with its API key set (\`provider:model\`, an alias under \`models\`, \`offline\` or \`script:FILE\`); fix: ${problem.hint ?? 'set default_model to such a model'}`;
}
