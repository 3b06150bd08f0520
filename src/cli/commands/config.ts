import type { ConfigEntry } from '../../config/index.js';
import { SopCommand } from '../base-command.js';

/** `sop config --json`'s result: the files read and every value with its source. */
export interface ConfigResult {
  files: readonly string[];
  values: ConfigEntry[];
}

export default class Config extends SopCommand<ConfigResult> {
  static override summary = 'Show the resolved configuration: every value and where it came from (secrets as ***).';
  static override description = `Sources, lowest to highest precedence: built-in defaults, the user file ($XDG_CONFIG_HOME/sop/config.yaml), the project file (sop.config.yaml, .soprc, package.json#sop, ... found from the current folder upward), environment variables, flags.`;
  static override examples = ['<%= config.bin %> config', '<%= config.bin %> config --json'];
  async run(): Promise<ConfigResult> {
    await this.parse(Config);
    const { loadConfig } = await import('../../config/index.js');
    const config = await loadConfig({ cwd: process.cwd(), env: process.env });
    const values = config.explain();
    const { formatTable } = await import('../format-table.js');
    this.out(formatTable(['KEY', 'VALUE', 'SOURCE'], values.map((entry) => [entry.key, entry.value, entry.source])));
    this.note(config.files.length > 0 ? `files read: ${config.files.join(', ')}` : 'no configuration file found (defaults and environment only)');
    return { files: config.files, values };
  }
}
