import { Flags } from '@oclif/core';
import { SopCommand } from '../base-command.js';

export default class Config extends SopCommand {
  static override summary = 'Show the resolved configuration: every value and where it came from (secrets as ***).';
  static override description = `Sources, lowest to highest precedence: built-in defaults, the user file
($XDG_CONFIG_HOME/sop/config.yaml), the project file (sop.config.yaml, .soprc, package.json#sop, ...
found from the current folder upward), environment variables, flags.`;
  static override examples = ['<%= config.bin %> config', '<%= config.bin %> config --json'];
  static override flags = {
    json: Flags.boolean({ description: 'Print {"files": [...], "values": [{key, value, source}]} on stdout.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Config);
    const { loadConfig } = await import('../../config/index.js');
    const config = await loadConfig({ cwd: process.cwd(), env: process.env });
    const values = config.explain();
    if (flags.json) {
      this.out(JSON.stringify({ files: config.files, values }, null, 2));
      return;
    }
    const { formatTable } = await import('../format-table.js');
    this.out(formatTable(['KEY', 'VALUE', 'SOURCE'], values.map((entry) => [entry.key, entry.value, entry.source])));
    this.note(config.files.length > 0 ? `files read: ${config.files.join(', ')}` : 'no configuration file found (defaults and environment only)');
  }
}
