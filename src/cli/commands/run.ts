import { Flags, type Interfaces } from '@oclif/core';
import { SopError } from '../../errors/index.js';
import type { RunReporters } from '../../reporting/index.js';
import type { RunReport } from '../../runtime/index.js';
import type { ResolvedSop } from '../../spec/resolved.js';
import type { PromptsResult } from '../prompt-listing.js';
import { previewFlags } from '../prompt-preview.js';
import { RunCommand } from '../run-command.js';
import { resumeTarget } from '../../runtime/resume-target.js';
import { inputFlag, runFlags, sharedRunOptions, sopFileAndIdeaArgs } from '../run-flags.js';
import { detachFlag, queueArgs, queueFlags, queueKeepFlag, refuseWithQueue } from '../queue-flags.js';

/**
 * Run options a preview has no use for: it calls no provider, keeps no record and writes no report.
 * `--frozen` is refused in `run()` instead, with its reason and the command that does what was meant.
 */
const NOT_IN_PREVIEW = ['record', 'replay', 'runs-dir', 'junit', 'events', 'lock', 'investment', 'durability'];

/** `sop run --queue URL --detach --json`'s result: the run is queued, not finished. */
export interface QueuedRunReceipt {
  runId: string;
  queued: true;
}

export default class Run extends RunCommand<RunReport | PromptsResult | QueuedRunReceipt> {
  /** `--topic x`, `--idea x`: an input typed as a flag is hinted the command with `--input topic=x`. */
  protected override async flagsMeantAsInputs(unknown: string[]): Promise<string | undefined> {
    return (await import('../run-inputs.js')).sopInputsMeantByFlags('sop run', this.argv, unknown);
  }

  static override summary = 'Run an SOP: the team works in rounds until the stop condition, a limit or a failure.';
  static override description = [
    'Progress goes to stderr; the exit code says how the run ended (see `sop --help`).',
    'Models: --model, else the SOP\'s (action > role > settings.model), else default_model from the configuration (`sop config`), else the built-in offline model (deterministic placeholder output, no LLM called). `--model script:FILE` answers from a script (per role, action, attempt and item; docs/scripted-model.md), so a run takes the branches the offline model never takes. Keys come from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY) or the configuration, and are never printed or written.',
    'A run stopped by the budget resumes with `sop resume RUN --investment USD`; calls already made are not paid again.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> run sops/software-company.yaml "a CLI that converts CSV to JSON"',
    // oclif adds `$ ` only to an example that starts with the command itself.
    '$ OPENAI_API_KEY=... <%= config.bin %> run sops/software-company.yaml "a todo app" --model openai:gpt-4o-mini',
    '<%= config.bin %> run sops/software-company.yaml "a todo app" --model ollama:llama3.2',
    '<%= config.bin %> run my.yaml --input audience=engineers --n-round 6 --json',
    '<%= config.bin %> run my.yaml "an idea" --model openai:gpt-4o-mini --record run.cassette',
    '<%= config.bin %> run sops/software-company.yaml "a todo app" --model script:answers.yaml',
    '<%= config.bin %> run sops/software-company.yaml --inc --workspace my-app "add a --json output"',
    '<%= config.bin %> run sops/software-company.yaml "a todo app" --dry-run --role architect',
  ];
  static override args = sopFileAndIdeaArgs;
  static override flags = {
    input: inputFlag,
    inc: Flags.boolean({ description: 'Incremental mode: work on the existing project in --workspace (sets the SOP\'s boolean input `inc` to true).' }),
    ...runFlags,
    // CI (docs/ci.md)
    frozen: Flags.boolean({ description: 'Refuse to run (exit 12) unless sop.lock (`sop lock`) matches the SOP, every file it references and its resolved models.' }),
    lock: Flags.string({ description: 'Lock file checked by --frozen (default: sop.lock next to the SOP).', dependsOn: ['frozen'] }),
    'dry-run': Flags.boolean({
      description: 'Print every prompt of the run instead, each call answered offline or by --model script:FILE: the same as `sop prompts` (see `sop prompts --help`).',
      // `relationships`, not `exclusive`/`dependsOn` (checked alike, same messages): oclif's usage line
      // nests every flag named by those under the flag naming them, which garbled `sop run --help`.
      relationships: [{ type: 'none', flags: NOT_IN_PREVIEW }],
    }),
    // Queued runs (docs/queue.md)
    ...queueFlags,
    'queue-keep-days': queueKeepFlag,
    detach: detachFlag,
    ...Object.fromEntries(Object.entries(previewFlags).map(([name, flag]) => [name, { ...flag, description: `With --dry-run: ${(flag.description ?? '').replace(/^./, (first) => first.toLowerCase())}`, relationships: [{ type: 'all', flags: ['dry-run'] }] }])) as typeof previewFlags,
  };

  async run(): Promise<RunReport | PromptsResult | QueuedRunReceipt> {
    const { args, flags } = await this.parse(Run);
    if (flags['dry-run'] && flags.frozen) {
      const { quoteArgument } = await import('../../runtime/shell-argument.js');
      // Checking the lock and then previewing would pass a drifted model off as pinned: the preview
      // answers every call offline (or by a script), whatever model the lock holds.
      throw new SopError('USAGE', '--frozen cannot be used with --dry-run: --frozen guards a real run against an SOP, file or model changed since `sop lock`, and a dry run calls no model and keeps no record, so there is nothing for it to guard', {
        hint: `to check the lock without running, use \`sop lock ${quoteArgument(args.file)} --check\` (exit 12 naming each drifted file); to preview the prompts, drop --frozen`,
      });
    }
    refuseWithQueue(flags, ['record', 'replay', 'dry-run', 'durability', 'cache-dir', 'inc', 'metrics-port', 'metrics-host']);
    if (flags['dry-run']) {
      this.answersAs = 'prompts';
      const { previewPrompts, previewRequest } = await import('../prompt-preview.js');
      return previewPrompts(this.io(), previewRequest(args, flags));
    }
    const reporters = await this.openReporters(args.file, flags);
    const modelFlags = {
      cache: flags.cache,
      ...(flags.model === undefined ? {} : { model: flags.model }),
      ...(flags.provider === undefined ? {} : { provider: flags.provider }),
      ...(flags['cache-dir'] === undefined ? {} : { cacheDir: flags['cache-dir'] }),
      ...(flags.record === undefined ? {} : { record: flags.record }),
      ...(flags.replay === undefined ? {} : { replay: flags.replay }),
    };
    const { loadRunConfig, prepareRunModels } = await import('../model-choice.js');
    const config = await loadRunConfig(modelFlags, process.cwd(), process.env);
    for (const warning of await (await import('../unread-config.js')).unreadConfigWarnings(config, process.cwd())) this.warning(warning);
    const { sop, warnings } = await this.loadSopPrintingWarnings(args.file);
    reporters.setSop(sop, (await import('../sop-model-place.js')).sopModelLine(sop, config));
    reporters.warnings(warnings);
    await (await import('../model-choice.js')).refuseIdleProvider(config, sop, flags.provider);
    const { collectInputs } = await import('../run-inputs.js');
    const { inputs, files: givenFiles } = collectInputs(flags.input ?? [], args.idea, sop.inputs, sop.displayPath);
    if (flags.inc) {
      const { incrementalInputs } = await import('../incremental.js');
      incrementalInputs(inputs, sop.inputs, flags.workspace);
    }
    // Checked now (the run checks them again): a missing or wrong input comes before the frozen
    // check, the models' keys and the MCP servers' `${env:NAME}`, not after the user fixed those.
    // With --inc a hint's command keeps `--inc --workspace DIR` (not `--input inc=true`): without them it ran on the default workspace.
    const { inc: _setByFlag, ...typed } = inputs;
    const { quoteArgument } = await import('../../runtime/shell-argument.js');
    const commandFlags = flags.inc ? ['--inc', '--workspace', quoteArgument(flags.workspace as string)] : [];
    (await import('../../runtime/inputs.js')).coerceInputs(sop.inputs, flags.inc ? typed : inputs, { sopFile: sop.displayPath, commandFlags, inputFiles: givenFiles });
    if (flags.frozen) {
      const { verifyFrozenSop } = await import('./lock.js');
      await verifyFrozenSop(sop, config, { sopDisplay: args.file, sopCommand: this.sopCommand, ...(flags.lock === undefined ? {} : { lock: flags.lock }) });
    }
    if (flags.queue !== undefined) return this.submitQueued(flags.queue, sop, inputs, flags);
    const models = await prepareRunModels(config, sop, modelFlags, process.cwd());
    const redactSecrets = models.runtime.secrets.mask;
    this.redact = redactSecrets;
    const warn = this.modelWarner(models, redactSecrets);
    warn();
    await this.warnDiagnostics(models.answerMisfits);

    const { capturePrompts } = await this.openTelemetry(flags, redactSecrets);
    const progress = await this.progressPrinter(flags, redactSecrets);
    const telemetry = this.runTelemetry;
    let runId: string | undefined;
    // The run as `sop resume` takes it, for the Ctrl-C note: known from the run's first event.
    let runTarget: string | undefined;
    const onEvent = (event: Parameters<RunReporters['onEvent']>[0]): void => {
      if (event.type === 'run-start') {
        runId = event.runId;
        runTarget = resumeTarget(resolve(flags['runs-dir'], runId), process.cwd());
      }
      // Once a round has ended, its start's checkpoint is on disk: a storage error thrown after that
      // (the journal's own write failing) names the resume command, as one the run reports does.
      if (event.type === 'round-end' && event.round >= 1 && runId !== undefined) this.resumedRunRef ??= resumeTarget(resolve(flags['runs-dir'], runId), process.cwd());
      // Telemetry first: a log line names the span its event started.
      telemetry?.onEvent(event);
      progress?.onEvent(event);
      reporters.onEvent(event);
    };

    // First Ctrl-C asks the run to stop cleanly (state saved, exit 130); a second one exits at once.
    const { interruptOnSignals } = await import('../interrupts.js');
    const interrupts = interruptOnSignals((text) => this.note(text), this.sopCommand, () => runTarget);

    if (!flags.inc && flags.workspace === undefined && !flags.quiet && !this.jsonEnabled()) {
      const path = await import('node:path');
      const { earlierFilesNote } = await import('../earlier-workspace-files.js');
      const shown = path.join('workspace', sop.name);
      const note = earlierFilesNote(path.resolve(shown), shown, sop.inputs.some((input) => input.name === 'inc' && input.type === 'boolean'));
      if (note) this.note(note);
    }
    const { runSop } = await import('../../runtime/index.js');
    // `${env:NAME}` values (MCP servers, HTTP tools' headers) are read now, so a missing one stops the run before it starts.
    const fromEnv = (await import('../run-environment.js')).runEnvironment(sop, process.env);
    // Human gates ask on a terminal; in CI or without one the run stops awaiting approval (exit 8).
    const interactive = !this.ciMode(flags) && Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
    const { join, resolve } = await import('node:path');
    const approver = interactive ? (await import('../approval-prompt.js')).terminalApprover(() => progress?.finish(), interrupts.signal, resolve(flags.workspace ?? join('workspace', sop.name))) : undefined;
    // A script's `human` answers decide first (docs/scripted-model.md); the terminal, if any, decides the rest.
    const approve = models.scripted ? (await import('../../runtime/index.js')).scriptedApprover(models.scripted, approver?.approve) : approver?.approve;
    let result;
    try {
      result = await runSop(sop, {
        inputs,
        inputFiles: givenFiles,
        cwd: process.cwd(),
        sopCommand: this.sopCommand,
        runsDir: flags['runs-dir'],
        signal: interrupts.signal,
        // The runtime's mask already holds every key in use; the values read from `${env:NAME}` join it.
        runtime: models.runtime,
        ...fromEnv,
        // Kept in the checkpoint: `sop resume` chooses the models again the same way.
        modelOptions: { ...modelFlags },
        ...(models.resolveModel ? { resolveModel: models.resolveModel } : {}),
        ...(flags.workspace !== undefined ? { workspace: flags.workspace } : {}),
        // The report and summary say which files the run added, changed or left as they were, and which are gone.
        ...(flags.inc ? { workspaceChanges: true } : {}),
        ...sharedRunOptions(flags),
        // Spans that carry prompts need them on the events (as --event-prompts puts them).
        ...(capturePrompts ? { eventPrompts: true } : {}),
        onEvent,
        ...(progress?.onDelta ? { onDelta: progress.onDelta } : {}),
        ...(approve ? { approve } : {}),
      });
    } finally {
      progress?.finish();
      approver?.close();
      interrupts.dispose();
      await this.closeTelemetry();
    }
    // Late warnings (a cache entry that could not be written).
    warn();
    await this.noteUnscripted(models.scripted, flags);
    return this.concludeRun(result, flags, redactSecrets, sop);
  }

  /** `--queue URL`: the run goes to the queue's workers; followed until it ends unless `--detach`. */
  private async submitQueued(queue: string, sop: ResolvedSop, inputs: Record<string, string>, flags: RunFlags): Promise<RunReport | QueuedRunReceipt> {
    const { openQueue, maskingAlso, submitterKey, travellingModels } = await import('../queued-runs.js');
    // Secret inputs travel sealed with SOP_QUEUE_KEY: without one, refused before anything is queued.
    const key = await submitterKey(sop, [inputs], process.env);
    // Scripts are read and checked before anything is queued; they travel in the run's bundle.
    const travelling = await travellingModels(sop, { ...(flags.model === undefined ? {} : { model: flags.model }), ...(flags.provider === undefined ? {} : { provider: flags.provider }) }, process.cwd());
    const { client, address } = await openQueue(queue, flags['queue-name'], { keepDays: flags['queue-keep-days'], key, sopCommand: this.sopCommand, warning: (text) => this.warning(text) });
    this.redact = await maskingAlso(address, this.redact);
    try {
      const runId = await this.queueHeld((id) => id, queueArgs(address.shown, flags['queue-name']), () => client.submit(
        sop,
        {
          inputs,
          models: travelling.models,
          ...(flags['n-round'] === undefined ? {} : { nRound: flags['n-round'] }),
          ...(flags.investment === undefined ? {} : { investment: flags.investment }),
          ...(flags['event-prompts'] ? { eventPrompts: true } : {}),
        },
        travelling.extra,
        { followed: !flags.detach },
      ));
      if (flags.detach) {
        this.out(runId);
        return { runId, queued: true };
      }
      const path = await import('node:path');
      const folders = { runsDir: path.resolve(flags['runs-dir']), workspace: path.resolve(flags.workspace ?? path.join('workspace', sop.name)) };
      return await this.followQueued(client, runId, folders, flags, queueArgs(address.shown, flags['queue-name']), `queued run ${runId} on ${address.shown}`);
    } finally {
      await client.close();
    }
  }
}

type RunFlags = Interfaces.InferredFlags<typeof Run.flags>;
