import { Args, Flags } from '@oclif/core';
import { SopError } from '../../errors/index.js';
import { SopCommand } from '../base-command.js';
import { DEFAULT_RUNS_DIR } from './runs.js';

export default class Run extends SopCommand {
  static override summary = 'Run an SOP: the team works in rounds until the stop condition, a limit or a failure.';
  static override description = `Progress goes to stderr; the exit code says how the run ended (see \`sop --help\`).
Without --model the built-in offline model answers: deterministic placeholder output, no LLM called.`;
  static override examples = [
    '<%= config.bin %> run sops/software-company.yaml "a CLI that converts CSV to JSON"',
    '<%= config.bin %> run my.yaml --input audience=engineers --n-round 6 --json',
  ];
  static override args = {
    file: Args.string({ description: 'SOP file.', required: true }),
    idea: Args.string({ description: 'Value of the `idea` input (the SOP must declare it, or have no inputs block).' }),
  };
  static override flags = {
    input: Flags.string({ char: 'i', description: 'An input as name=value (repeatable).', multiple: true, multipleNonGreedy: true }),
    workspace: Flags.string({ description: 'Folder artifacts are written to (default: workspace/<sop name>).' }),
    'runs-dir': Flags.string({ description: 'Folder for run records.', default: DEFAULT_RUNS_DIR }),
    'n-round': Flags.integer({ description: 'Most rounds (overrides settings.n_round).', min: 1 }),
    investment: Flags.custom<number>({
      description: 'Budget in USD (overrides settings.investment).',
      parse: async (text) => parsePositiveNumber(text, '--investment'),
    })(),
    model: Flags.string({ description: 'Model to use; only `offline` for now.' }),
    json: Flags.boolean({ description: 'Print only the final report as JSON on stdout.' }),
    ci: Flags.boolean({ description: 'Plain progress lines, no live status line (also when CI=true).' }),
    quiet: Flags.boolean({ char: 'q', description: 'No progress output; only the final status.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    const { chooseModel } = await import('../model-choice.js');
    const { modelName } = chooseModel(flags.model);
    const { loadResolvedSop } = await import('../../spec/index.js');
    const { sop, warnings } = await loadResolvedSop(args.file);
    if (warnings.length > 0) {
      const { DiagnosticRenderer } = await import('../render-diagnostics.js');
      const renderer = new DiagnosticRenderer();
      for (const warning of warnings) this.note(await renderer.render(warning));
    }
    const { collectInputs } = await import('../run-inputs.js');
    const inputs = collectInputs(flags.input ?? [], args.idea, sop.inputs);

    const { ProgressPrinter } = await import('../progress.js');
    const ci = flags.ci || process.env['CI'] === 'true' || process.env['CI'] === '1';
    const progress = flags.quiet ? undefined : new ProgressPrinter({ stream: process.stderr, live: Boolean(process.stderr.isTTY) && !ci });

    // First Ctrl-C asks the run to stop cleanly (state saved, exit 130); a second one exits at once.
    const controller = new AbortController();
    const onSignal = (): void => {
      if (controller.signal.aborted) process.exit(130);
      this.note('\ninterrupting: finishing the current step and saving state (Ctrl-C again to quit now)');
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const { runSop } = await import('../../runtime/index.js');
    let result;
    try {
      result = await runSop(sop, {
        inputs,
        cwd: process.cwd(),
        runsDir: flags['runs-dir'],
        modelName,
        signal: controller.signal,
        ...(flags.workspace !== undefined ? { workspace: flags.workspace } : {}),
        ...(flags['n-round'] !== undefined ? { nRound: flags['n-round'] } : {}),
        ...(flags.investment !== undefined ? { investment: flags.investment } : {}),
        ...(progress ? { onEvent: progress.onEvent } : {}),
      });
    } finally {
      progress?.finish();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }

    if (flags.json) {
      this.out(JSON.stringify(result.report, null, 2));
    } else {
      const { formatRunSummary } = await import('../run-summary.js');
      if (result.error) {
        const { describeSopError } = await import('../base-command.js');
        this.note(await describeSopError(result.error));
      }
      this.note(flags.quiet ? `status: ${result.status} (exit ${result.exitCode})` : formatRunSummary(result));
    }
    this.exit(result.exitCode);
  }
}

function parsePositiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new SopError('USAGE', `${flag} must be a positive number, got "${text}"`, { hint: `e.g. ${flag} 2.5` });
  }
  return value;
}
