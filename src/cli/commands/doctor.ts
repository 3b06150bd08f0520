import { Flags } from '@oclif/core';
import { EXIT } from '../../errors/index.js';
import { SopCommand } from '../base-command.js';

export default class Doctor extends SopCommand {
  static override summary = 'Check that each configured provider answers: reachability, API key, latency.';
  static override description = `Makes one cheap call per provider in the configuration (and the default model's):
OpenAI-compatible GET /models, Ollama GET /api/tags, Anthropic a one-token message.
Exit 0 when every provider answered, 10 otherwise.`;
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json --timeout 5'];
  static override flags = {
    json: Flags.boolean({ description: 'Print {"ok": bool, "providers": [...]} on stdout.' }),
    timeout: Flags.integer({ description: 'Seconds each check may take.', default: 10, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const { loadConfig } = await import('../../config/index.js');
    const { checkProviders } = await import('../../providers/registry-probe.js');
    const { createRedactor } = await import('../../providers/redact.js');
    const config = await loadConfig({ cwd: process.cwd(), env: process.env });
    const report = await checkProviders(config, { timeoutMs: flags.timeout * 1000 });
    const redact = createRedactor(config.secrets());
    if (flags.json) this.out(redact(JSON.stringify(report, null, 2)));
    else {
      this.out(redact(`default model: ${report.defaultModel}`));
      for (const result of report.providers) {
        const where = result.endpoint ? ` ${result.endpoint}` : '';
        if (result.ok) this.out(redact(`ok    ${result.provider}${where}: ${result.detail ?? 'reachable'} (${result.latencyMs} ms)`));
        else {
          this.out(redact(`FAIL  ${result.provider}${where}: ${result.code}: ${result.message} (${result.latencyMs} ms)`));
          if (result.hint) this.out(redact(`      hint: ${result.hint}`));
        }
      }
      if (report.providers.length === 0) this.out('no provider configured: runs use the built-in offline model');
    }
    this.exit(report.ok ? EXIT.OK : EXIT.PROVIDER_FAILED);
  }
}
