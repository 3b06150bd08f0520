import { Flags } from '@oclif/core';
import { CODES, EXIT, SopError } from '../../errors/index.js';
import type { DoctorReport } from '../../providers/registry-probe.js';
import { SopCommand } from '../base-command.js';

export default class Doctor extends SopCommand<DoctorReport> {
  static override summary = 'Check that each configured provider answers: reachability, API key, latency.';
  static override description = `Makes one cheap call per provider in the configuration (and the default model's): OpenAI-compatible GET /models, Ollama GET /api/tags, Anthropic a one-token message. Exit 0 when every provider answered; 11 when the configuration is invalid (an unset \${env:NAME}, a default_model naming no provider), 2 when a script:FILE default model is missing or invalid, as sop run would exit; 10 when a provider did not answer.`;
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json --timeout 5'];
  static override flags = {
    timeout: Flags.integer({ description: 'Seconds each check may take.', default: 10, min: 1 }),
  };

  async run(): Promise<DoctorReport> {
    const { flags } = await this.parse(Doctor);
    const { loadConfig } = await import('../../config/index.js');
    const { checkProviders } = await import('../../providers/registry-probe.js');
    const { createRedactor } = await import('../../providers/redact.js');
    const config = await loadConfig({ cwd: process.cwd(), env: process.env });
    const report = await checkProviders(config, { timeoutMs: flags.timeout * 1000 });
    this.redact = createRedactor(config.secrets());
    this.out(this.redact(`default model: ${report.defaultModel}`));
    for (const result of report.providers) {
      const where = result.endpoint ? ` ${result.endpoint}` : '';
      if (result.ok) this.out(this.redact(`ok    ${result.provider}${where}: ${result.detail ?? 'reachable'} (${result.latencyMs} ms)`));
      else {
        this.out(this.redact(`FAIL  ${result.provider}${where}: ${result.code}: ${result.message} (${result.latencyMs} ms)`));
        if (result.hint) this.out(this.redact(`      hint: ${result.hint}`));
      }
    }
    if (report.providers.length === 0) {
      const scripted = report.defaultModel.startsWith('script:');
      this.out(`no provider configured: runs use ${scripted ? 'the scripted model (unscripted calls: the built-in offline model)' : 'the built-in offline model'}`);
    }
    if (!report.ok) {
      const failed = report.providers.filter((result) => !result.ok);
      // A failure found before any call (the configuration, a script) is not the provider's: it exits
      // as `sop run` would with it, so a script can tell "fix the config" (11) from "a server is down" (10).
      const before = failed.find((result) => result.code !== undefined && CODES[result.code] !== EXIT.PROVIDER_FAILED);
      const names = failed.map((result) => result.provider).join(', ');
      this.concludeWith(new SopError(before?.code ?? 'PROVIDER_FAILED', `${failed.length} of ${report.providers.length} checks failed: ${names}`, { hint: 'each FAIL line says why' }));
    }
    return report;
  }
}
