import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Args, Flags, type Interfaces } from '@oclif/core';
import { SopError } from '../../errors/index.js';
import { shownPath } from '../../files/shown-path.js';
import { formatBytes, LIMITS, readCappedSync, unreadableFile } from '../../spec/limits.js';
import type { ModelFlags } from '../model-choice.js';
import { queueArgs, queueFlags, queueKeepFlag, refuseWithQueue } from '../queue-flags.js';
import { RunCommand } from '../run-command.js';
import { findRunDir, refuseQueuedCopy } from '../run-dir.js';
import { shippedSopHint } from '../shipped-sop-hint.js';
import { refusedResumeFlags, refuseRunOnlyFlags, refuseUnmaskedInputs, resumeFlags, resumeInputFlag, resumePlaceFlags, runOnlyFlagsText, sharedRunOptions } from '../run-flags.js';
import type { Checkpoint } from '../../runtime/checkpoint.js';
import type { ApprovalDecision, PendingApproval, RunEvent, RunReport } from '../../runtime/index.js';
import { awaitedName } from '../../runtime/approval.js';
import { awaitedFor } from '../../runtime/resume-approvals.js';
import type { RunReporters } from '../../reporting/index.js';
import type { RunLock } from '../../store/index.js';
import type { ResolvedSop } from '../../spec/index.js';
import type { QueueClient } from '../../queue/index.js';
import { quoteArgument } from '../../runtime/shell-argument.js';
import { resumeCommand, resumeTarget } from '../../runtime/resume-target.js';
import { gateStoppedHint } from '../../runtime/report.js';

export default class Resume extends RunCommand {
  static override summary = 'Continue a stopped or crashed run from its last checkpoint.';
  static override description = [
    'The run continues with the same SOP, inputs, workspace and model options, appending to the same run record; the start messages are not published again and the cost already spent carries over.',
    'Model calls the interrupted process completed after its last checkpoint are answered from the run record (journal.jsonl), not made or paid for again.',
    'Refused when the SOP file, a file it references (a prompt or template file, a $ref schema, a partial) or the script of a script:FILE model changed since the run started (unless --allow-changed-sop: the run then records what it went on with, and a later resume compares with that), for a run that completed, and for a damaged journal.jsonl (a changed line before the last, a repeated or missing line: exit 15, naming the line).',
    'A run awaiting approval (exit 8) continues with the decision for its human gates: --approve, --reject "feedback" or --edit FILE (the reviewed output replaced by the file). On a terminal without a decision flag, the gates ask.',
    'An input whose value was a secret (it held an API key or a `${env:NAME}` value of the configuration or the SOP\'s `mcp_servers`) is recorded masked, as `***`, never as the value: the resume is refused (exit 2, naming it) until it is given again with --input NAME=VALUE, and the value given is masked in everything the run writes and prints. Any other --input is refused: the run goes on with the inputs it started with.',
    'A project moved or copied with its .sop/ resumes in its new place: the SOP and workspace at the same places within the project come first (a warning names the recorded paths followed). When neither place has them (a runs folder outside the project, a file moved alone), --sop FILE and --workspace DIR say where they are now: the SOP must be the one the run ran with (another is refused, exit 2, unless --allow-changed-sop), the workspace a folder holding files the run wrote.',
    'The run options below mean what they mean for `sop run`; --n-round, --investment and --durability default to the run\'s own (recorded when it started), not to the SOP\'s or the built-in defaults.',
    runOnlyFlagsText(),
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> resume 20260101-120000-a1b2c3',
    '<%= config.bin %> resume .sop/runs/20260101-120000-a1b2c3 --investment 5',
    '<%= config.bin %> resume 20260101-120000-a1b2c3 --n-round 20 --json',
    '<%= config.bin %> resume 20260101-120000-a1b2c3 --ci --junit results/junit.xml --events results/events.ndjson',
    '<%= config.bin %> resume 20260101-120000-a1b2c3 --input token="$VAULT_TOKEN"',
    '<%= config.bin %> resume 20260101-120000-a1b2c3 --approve',
    '<%= config.bin %> resume 20260101-120000-a1b2c3 --reject "add acceptance criteria to every story"',
    '<%= config.bin %> resume /var/sop-runs/20260101-120000-a1b2c3 --sop sops/team.yaml --workspace workspace/team',
  ];
  static override args = {
    run: Args.string({ description: 'Run id (in --runs-dir; its beginning will do when it names one run) or the path of a run folder.', required: true }),
  };
  static override flags = {
    ...resumeFlags,
    ...resumePlaceFlags,
    input: resumeInputFlag,
    approve: Flags.boolean({ description: 'Approve the output the human gates were awaiting.', exclusive: ['reject', 'edit'] }),
    reject: Flags.string({ description: 'Reject the awaited output with this feedback (the gate\'s on_fail decides what follows).', exclusive: ['approve', 'edit'] }),
    edit: Flags.string({ description: 'Replace the awaited output with this file\'s content, then continue.', exclusive: ['approve', 'reject'] }),
    gate: Flags.string({
      description: 'With --approve, --reject or --edit: decide only the awaited approvals that have this role, action, gate, trigger message or foreach item #N (several joined by /: reviewer/approved, write#1; repeatable). The others ask again: without a terminal the run pauses again awaiting them.',
      helpValue: 'NAME',
      multiple: true,
    }),
    'allow-changed-sop': Flags.boolean({ description: 'Resume even though the SOP file, a file it references or a script:FILE model\'s script changed since the run started or was last resumed with this flag (the changed files are used, and recorded: a later resume compares with them).' }),
    ...refusedResumeFlags(),
    // Queued runs (docs/queue.md)
    ...queueFlags,
    'queue-keep-days': queueKeepFlag,
  };

  async run(): Promise<RunReport> {
    const { args, flags } = await this.parse(Resume);
    refuseWithQueue(flags, ['edit', 'gate', 'allow-changed-sop', 'durability', 'metrics-port', 'metrics-host', 'input', 'sop', 'workspace']);
    refuseRunOnlyFlags(flags);
    if (flags.queue !== undefined) return this.resumeQueued(args.run, flags.queue, flags);
    const reporters = await this.openReporters(args.run, flags);
    // The command to type from a subfolder keeps the decision: without it the resume asks, or is refused.
    const runDir = findRunDir(args.run, flags['runs-dir'], (runsDir) => `resume ${quoteArgument(args.run)} --runs-dir ${runsDir}${decisionArguments(flags)}`);
    refuseQueuedCopy(runDir);
    this.resumedRunRef = resumeTarget(runDir, process.cwd());
    const { RunLock } = await import('../../store/index.js');
    // Held before the checkpoint is read: a second resume (or the still-running original) is
    // refused (exit 13) instead of running the same rounds again beside it.
    const lock = RunLock.acquire(runDir, `resume ${path.basename(runDir)}`);
    try {
      return await this.resumeHeld(runDir, lock, flags, reporters);
    } finally {
      lock.release();
    }
  }

  /**
   * A queued run: followed while it is queued or running; once it ended without completing (its
   * budget, its round limit, a failure), queued again to continue from its journal on a worker.
   */
  private async resumeQueued(runId: string, url: string, flags: ResumeFlags): Promise<RunReport> {
    await this.openReporters(runId, flags);
    const { openQueue, maskingAlso } = await import('../queued-runs.js');
    const { client, address } = await openQueue(url, flags['queue-name'], { keepDays: flags['queue-keep-days'], sopCommand: this.sopCommand, warning: (text) => this.warning(text) });
    this.redact = await maskingAlso(address, this.redact);
    const again = `${resumeCommand(runId, this.sopCommand)} ${queueArgs(address.shown, flags['queue-name'])}`;
    try {
      const run = await client.run(runId);
      // A latest job Redis does not have (`gone`) of a run it still has: a command stopped at once between
      // queueing the run and adding its job (a second Ctrl-C), or the job evicted: queued again from the journal.
      const ended = run.state === 'failed' || ((run.state === 'completed' || run.state === 'gone') && run.status !== 'completed');
      const given = flags.approve ? '--approve' : flags.reject !== undefined ? '--reject' : undefined;
      const awaiting = ended && run.status === 'awaiting_approval';
      if (given && !awaiting) {
        // Another resume queued it to continue (with its own decision): refused as a second local resume is.
        const queued = ended ? undefined : await client.queuedByResume(runId);
        if (queued) throw queued;
        throw new SopError('USAGE', `${given}: queued run ${runId} is not awaiting approval (${run.status ?? run.state})`, { hint: `resume it without a decision flag: ${again}` });
      }
      if (awaiting && !given) {
        throw new SopError('USAGE', `queued run ${runId} awaits approval of a human gate`, { hint: `pass --approve or --reject "what to change": ${again} --approve` });
      }
      if (flags.reject !== undefined && flags.reject.trim() === '') throw new SopError('USAGE', '--reject needs feedback: say what should change', { hint: '--reject "add acceptance criteria"' });
      if (ended) await this.resendBundle(client, runId, queueArgs(address.shown, flags['queue-name']));
      // Not queued again when a worker completed the run since it was read: followed, its result comes home.
      const queuedAgain = ended && (await this.queueHeld(() => runId, queueArgs(address.shown, flags['queue-name']), () => client.resume(runId, {
        ...(flags.investment === undefined ? {} : { investment: flags.investment }),
        ...(flags['n-round'] === undefined ? {} : { nRound: flags['n-round'] }),
        ...(flags.approve ? { decision: { kind: 'approve' as const } } : flags.reject !== undefined ? { decision: { kind: 'reject' as const, feedback: flags.reject } } : {}),
      }, run.job), runId));
      const announce = queuedAgain ? `queued run ${runId} again, to continue from its journal` : undefined;
      return await this.followQueued(client, runId, { runsDir: path.resolve(flags['runs-dir']), workspace: path.resolve('workspace', run.sop) }, flags, queueArgs(address.shown, flags['queue-name']), announce);
    } finally {
      await client.close();
    }
  }

  /**
   * A queued run whose SOP bundle Redis lost (expired or evicted before a worker took it: its job
   * failed) is queued again with its bundle sent again, read from the SOP file it was submitted
   * from; refused when that file is not here or no longer makes the same bundle.
   */
  private async resendBundle(client: QueueClient, runId: string, queueArgs: string): Promise<void> {
    const lost = await client.lostBundle(runId);
    if (!lost) return;
    const refusal = (why: string): SopError =>
      new SopError('USAGE', `queued run ${runId}: its SOP bundle is no longer in Redis (it expired or was evicted before a worker took the run), and ${lost.shown} ${why}`, {
        hint: `submit a new run: ${this.sopCommand} run ${lost.shown} … ${queueArgs}`,
      });
    const { loadResolvedSop } = await import('../../spec/index.js');
    let sop: ResolvedSop;
    try {
      ({ sop } = await loadResolvedSop(lost.file, { missingFileHint: shippedSopHint }));
    } catch {
      throw refusal(`cannot be loaded here (${lost.file}) to send it again`);
    }
    if (!(await client.restoreBundle(sop, lost.hash))) throw refusal('or a file it references changed since the run was submitted (or its bundle carried a script: --model script:FILE)');
    this.note(`sent the SOP bundle of run ${runId} again, from ${lost.shown}: Redis no longer had it`);
  }

  /** Everything a resume does once it holds the run folder. */
  private async resumeHeld(runDir: string, lock: RunLock, flags: ResumeFlags, reporters: RunReporters): Promise<RunReport> {
    const { readResumePoint, refuseCompleted } = await import('../../runtime/resume-point.js');
    const point = readResumePoint(runDir);
    const { checkpoint } = point;
    if (checkpoint.status === 'completed') refuseCompleted(checkpoint, await declaredInputs(checkpoint.sop.file), runDir, this.sopCommand);
    if (flags.sop !== undefined) refuseMissingSop(flags.sop, checkpoint.runId, resumeTarget(runDir, process.cwd()), this.sopCommand);
    // A project moved or copied with its `.sop/`, or --sop/--workspace: the SOP and workspace where
    // they are now (refused here, before anything else, when gone); `runSop` finds the workspace the same way.
    const { resumePlaces, describeFollowed, describeLostFiles } = await import('../../runtime/resume-places.js');
    const places = resumePlaces(runDir, checkpoint, { sop: flags.sop, workspace: flags.workspace, sopCommand: this.sopCommand });
    const { readRunEvents } = await import('../../store/index.js');
    reporters.recorded(readRunEvents(runDir) as unknown as RunEvent[]);
    const decision = approvalDecision(flags, checkpoint, this.sopCommand, () => stoppedHint(runDir));
    const decisionFor = decision ? flags.gate : undefined;
    const modelFlags = { cache: true, ...(checkpoint.options.model as Partial<ModelFlags>) } as ModelFlags;
    const { loadRunConfig, prepareRunModels } = await import('../model-choice.js');
    const config = await loadRunConfig(modelFlags, process.cwd(), process.env);
    for (const warning of await (await import('../unread-config.js')).unreadConfigWarnings(config, process.cwd())) this.warning(warning);
    const { loadResolvedSop } = await import('../../spec/index.js');
    if (places.followed.length > 0) this.warning(describeFollowed(checkpoint.runId, places.followed));
    if (places.lostFiles) this.warning(describeLostFiles(checkpoint.runId, shownPath(places.workspace, process.cwd()), places.lostFiles));
    // Loaded by the path the run was started with when it still names the file (or as --sop names it), so
    // messages and the next snapshot keep showing it (`sops/x.yaml`) rather than the absolute path.
    const shown = flags.sop ?? (path.resolve(checkpoint.sop.displayPath) === places.sopFile ? checkpoint.sop.displayPath : places.sopFile);
    const { sop } = await loadResolvedSop(shown, { missingFileHint: shippedSopHint });
    reporters.setSop(sop, (await import('../sop-model-place.js')).sopModelLine(sop, config));
    // Models first: a `script:FILE` model's script is compared with the SOP's files (it decides the calls still to come).
    const models = await prepareRunModels(config, sop, modelFlags, process.cwd(), { resuming: true });
    const { changedSopFiles } = await import('../changed-sop-files.js');
    const { sopDigests } = await import('../../runtime/sop-digests.js');
    const { plannedModelRefs } = await import('../../runtime/models.js');
    const resolveModel = models.resolveModel;
    const changed = changedSopFiles(checkpoint.sop, sopDigests(sop, resolveModel ? plannedModelRefs(sop).map((ref) => resolveModel(ref)) : []), flags.sop);
    if (changed) {
      if (!flags['allow-changed-sop']) throw changed.refusal(checkpoint.runId, this.sopCommand, resumeTarget(runDir, process.cwd()));
      this.warning(`${changed.names} changed ${changed.since}; resuming with the changed SOP (--allow-changed-sop), which the run records: a later resume compares with it`);
    }
    const inputs = await givenAgain(sop, checkpoint, flags.input ?? [], this.sopCommand);
    if (decision?.kind === 'edit') await refuseInvalidEdit(sop, checkpoint, decision.content, flags.edit as string, this.sopCommand, awaitedFor(checkpoint.awaiting ?? [], decisionFor)[0], decisionFor);
    const redactSecrets = models.runtime.secrets.mask;
    this.redact = redactSecrets;
    const warn = this.modelWarner(models, redactSecrets);
    warn();
    await this.warnDiagnostics(models.answerMisfits);

    const { capturePrompts } = await this.openTelemetry(flags, redactSecrets, { name: sop.name, version: sop.version });
    const progress = await this.progressPrinter(flags, redactSecrets);
    const telemetry = this.runTelemetry;
    const { interruptOnSignals } = await import('../interrupts.js');
    const interrupts = interruptOnSignals((text) => this.note(text), this.sopCommand, () => resumeTarget(runDir, process.cwd()));
    const { runSop } = await import('../../runtime/index.js');
    // `${env:NAME}` values (MCP servers, HTTP tools' headers) are read now, so a missing one stops the run before it starts.
    const fromEnv = (await import('../run-environment.js')).runEnvironment(sop, process.env);
    const interactive = !this.ciMode(flags) && Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
    // A script (`--model script:FILE` when the run started) may decide the awaited gates itself: only one with a `human` answer for them.
    const scripted = models.scripted;
    if (checkpoint.status === 'awaiting_approval' && !decision && !interactive && !(scripted && scriptMayDecide(scripted.script, checkpoint))) {
      interrupts.dispose();
      throw new SopError('USAGE', `run ${checkpoint.runId} awaits approval of ${describeAwaiting(checkpoint)}`, {
        hint: `pass --approve, --reject "what to change" or --edit FILE${scripted ? ` (its script ${scripted.script.file} has no \`human\` answer for ${(checkpoint.awaiting ?? []).length === 1 ? 'it' : 'them'}: add one, then resume with --allow-changed-sop, as the script changed)` : ''}`,
      });
    }
    const approver = interactive ? (await import('../approval-prompt.js')).terminalApprover(() => progress?.finish(), interrupts.signal, places.workspace) : undefined;
    const approve = models.scripted ? (await import('../../runtime/index.js')).scriptedApprover(models.scripted, approver?.approve) : approver?.approve;
    await this.stopLeftoverCommands(runDir, redactSecrets);
    let result;
    try {
      result = await runSop(sop, {
        inputs,
        cwd: process.cwd(),
        // A moved project's workspace `runSop` finds itself, as `resumePlaces` found it above.
        ...(flags.workspace === undefined ? {} : { workspace: flags.workspace }),
        sopCommand: this.sopCommand,
        resume: { runDir, ...point, lock, ...(decision ? { decision } : {}), ...(decisionFor ? { decisionFor } : {}) },
        ...(approve ? { approve } : {}),
        signal: interrupts.signal,
        // The runtime's mask already holds every key in use; the values read from `${env:NAME}` join it.
        runtime: models.runtime,
        ...fromEnv,
        ...(models.resolveModel ? { resolveModel: models.resolveModel } : {}),
        ...sharedRunOptions(flags),
        ...(capturePrompts ? { eventPrompts: true } : {}),
        onEvent: (event) => {
          telemetry?.onEvent(event);
          progress?.onEvent(event);
          reporters.onEvent(event);
        },
        ...(progress?.onDelta ? { onDelta: progress.onDelta } : {}),
      });
    } finally {
      progress?.finish();
      approver?.close();
      interrupts.dispose();
      await this.closeTelemetry();
    }
    // Late warnings (a cache entry that could not be written, a deprecated model), as `sop run` prints them.
    warn();
    await this.noteUnscripted(models.scripted, flags, runDir);
    return this.concludeRun(result, flags, redactSecrets, sop);
  }

  /** A killed run's commands live on in their own process groups: stopped before their round runs them again. */
  private async stopLeftoverCommands(runDir: string, redactSecrets: (text: string) => string): Promise<void> {
    const { stopLeftoverCommands } = await import('../../store/index.js');
    for (const left of stopLeftoverCommands(runDir)) {
      const command = `pid ${left.pid}: ${redactSecrets(left.argv.join(' '))}`;
      this.warning(left.stopped
        ? `stopped a command the killed run left running (${command}); the resumed round runs it again`
        : `a command the killed run started may still be running (${command}): the resumed round runs it again beside it; stop it if it must not run twice`);
    }
  }
}

type ResumeFlags = Interfaces.InferredFlags<typeof Resume.flags>;

/** `--sop FILE` names a file: else refused before anything is read or stopped, saying how to get the SOP as run. */
function refuseMissingSop(file: string, runId: string, target: string, sopCommand: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    isFile = false;
  }
  if (isFile) return;
  throw new SopError('FILE_NOT_FOUND', `--sop ${file}: no such file`, {
    hint: `give the path of run ${runId}'s SOP file where it is now (\`${sopCommand} runs --sop ${target} > FILE\` writes the SOP as run)`,
  });
}

/** The inputs the SOP at `file` declares, for a hint; none when it no longer loads (the hint then names the recorded ones). */
async function declaredInputs(file: string): Promise<ResolvedSop['inputs'] | undefined> {
  try {
    const { loadResolvedSop } = await import('../../spec/index.js');
    return (await loadResolvedSop(file)).sop.inputs;
  } catch {
    return undefined;
  }
}

/**
 * The `--input` pairs given to a resume: only inputs the run recorded masked (secrets), and all of
 * them; refused before anything is stopped, resolved or written (the hint types `sop` as `sopCommand`).
 */
async function givenAgain(sop: ResolvedSop, checkpoint: Checkpoint, pairs: string[], sopCommand: string): Promise<Record<string, string>> {
  const [{ collectInputs }, { maskedInputNames, refuseMissingMaskedInputs }] = await Promise.all([import('../run-inputs.js'), import('../../runtime/masked-inputs.js')]);
  const { inputs: given } = collectInputs(pairs, undefined, sop.inputs);
  const masked = maskedInputNames(sop, checkpoint).map((name) => sop.inputs.find((input) => input.name === name) ?? { name, aliases: [] });
  refuseUnmaskedInputs(given, masked);
  refuseMissingMaskedInputs(sop, checkpoint, Object.keys(given), sopCommand);
  return given;
}

/** The decision flags as given (` --reject 'why' --gate writer`), for a command the hint types again. */
function decisionArguments(flags: { approve?: boolean; reject?: string; edit?: string; gate?: string[] }): string {
  const given = [
    ...(flags.approve ? ['--approve'] : []),
    ...(flags.reject === undefined ? [] : ['--reject', quoteArgument(flags.reject)]),
    ...(flags.edit === undefined ? [] : ['--edit', quoteArgument(flags.edit)]),
    ...(flags.gate ?? []).flatMap((name) => ['--gate', quoteArgument(name)]),
  ];
  return given.map((part) => ` ${part}`).join('');
}

/** The hint `report.json` gives on how to continue the run, if it has one. */
function stoppedHint(runDir: string): string | undefined {
  try {
    const { hint } = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as { hint?: unknown };
    return typeof hint === 'string' ? hint : undefined;
  } catch {
    return undefined; // no report (a killed run) or an unreadable one: the generic hint
  }
}

/** The decision flags as an approval decision; refused when the run awaits none (the hint types `sop` as `sopCommand`). */
function approvalDecision(flags: { approve?: boolean; reject?: string; edit?: string; gate?: string[] }, checkpoint: Checkpoint, sopCommand: string, runHint: () => string | undefined): ApprovalDecision | undefined {
  const resume = resumeCommand(checkpoint.runId, sopCommand);
  const given = flags.approve ? '--approve' : flags.reject !== undefined ? '--reject' : flags.edit !== undefined ? '--edit' : undefined;
  if (given === undefined) {
    if (flags.gate === undefined) return undefined;
    throw new SopError('USAGE', `--gate ${flags.gate[0]}: says which awaited approvals a decision is for, but no decision was given`, {
      hint: `add --approve, --reject "what to change" or --edit FILE: ${resume} --approve --gate ${quoteArgument(flags.gate[0] as string)}`,
    });
  }
  if (checkpoint.status === 'running') {
    // Killed mid-run (`sop runs`: crashed): a decision it awaited was applied by the resume that was
    // killed, or no human gate had asked for one yet (its gate statistics tell which).
    const decided = (checkpoint.gateStats ?? []).some((stats) => stats.kind === 'human' && stats.checks > 0);
    const why = decided ? 'after any decision it awaited was already applied' : 'before any human gate asked for a decision';
    throw new SopError('USAGE', `${given}: run ${checkpoint.runId} is not awaiting approval: it crashed while running, ${why}`, {
      hint: `resume it without a decision flag: ${resume}`,
    });
  }
  if (checkpoint.status !== 'awaiting_approval') {
    throw new SopError('USAGE', `${given}: run ${checkpoint.runId} is not awaiting approval (status ${checkpoint.status})`, {
      // A plain resume of a gate-stopped run replays the same answers into the same gate: the SOP must change first.
      // The run's own hint says how to continue it: a plain resume of a run stopped by its round
      // limit or budget stops again at once (it needs --n-round or --investment).
      hint: checkpoint.status === 'gate_stopped' ? gateStoppedHint(resume) : (runHint() ?? `resume it without a decision flag: ${resume}`),
    });
  }
  // Each --gate name must match an awaited approval: refused here, before anything runs.
  const chosen = awaitedFor(checkpoint.awaiting ?? [], flags.gate);
  if (flags.approve) return { kind: 'approve' };
  if (flags.reject !== undefined) {
    if (flags.reject.trim() === '') throw new SopError('USAGE', '--reject needs feedback: say what should change', { hint: '--reject "add acceptance criteria"' });
    return { kind: 'reject', feedback: flags.reject };
  }
  const file = flags.edit as string;
  if (chosen.length > 1) {
    const awaiting = checkpoint.awaiting ?? [];
    const names = chosen.map((pending) => awaitedName(pending, awaiting));
    throw new SopError('USAGE', `--edit: run ${checkpoint.runId} awaits ${chosen.length} approvals${flags.gate ? ` that --gate ${flags.gate.join(' --gate ')} names` : ''}; one file cannot replace them all`, {
      hint: `name one with --gate (${names.join(', ')}), approve or reject them, or resume on a terminal to edit each`,
    });
  }
  let read: Buffer | 'too-large';
  try {
    read = readCappedSync(file, LIMITS.sopBytes);
  } catch (error) {
    const { code, why } = unreadableFile(error);
    throw new SopError(code, `--edit: cannot read ${file}: ${why}`, { hint: 'pass the path of the edited output' });
  }
  if (read === 'too-large') {
    throw new SopError('FILE_TOO_LARGE', `--edit: ${file} is endless or more than ${formatBytes(LIMITS.sopBytes)}`, { hint: 'pass the path of the edited output' });
  }
  return { kind: 'edit', content: read.toString('utf8') };
}

/** A bad edit is refused before the run continues, so the run still awaits approval and a fixed file can be given. */
async function refuseInvalidEdit(sop: ResolvedSop, checkpoint: Checkpoint, content: string, file: string, sopCommand: string, request: PendingApproval | undefined, gates: string[] = []): Promise<void> {
  if (!request) return;
  const [{ readEdit }, { SchemaValidators }] = await Promise.all([import('../../runtime/edited-output.js'), import('../../spec/json-schemas.js')]);
  const read = readEdit(sop, new SchemaValidators(), { type: request.outputType, format: request.format }, content);
  if (read.ok) return;
  throw new SopError('EDIT_INVALID', `--edit ${file}: not a valid ${request.outputType} (gate ${request.gate}, role ${request.role}, action ${request.action}): ${read.errors.join('; ')}`, {
    hint: `fix the file and run \`${resumeCommand(checkpoint.runId, sopCommand)} --edit ${quoteArgument(file)}${gates.map((gate) => ` --gate ${quoteArgument(gate)}`).join('')}\` again; the run still awaits approval`,
  });
}

/**
 * Whether the run's script has a `human` answer that may decide an awaited gate (its role, action
 * and gate, when it names them). Without one, resuming would only run the round again and stop
 * awaiting the same approval. A run that recorded no requests is given the benefit of the doubt.
 */
function scriptMayDecide(script: { answers: ReadonlyArray<{ role: string; action?: string; gate?: string; human?: unknown }> }, checkpoint: Checkpoint): boolean {
  const awaiting = checkpoint.awaiting ?? [];
  if (awaiting.length === 0) return true;
  return awaiting.some((request) => script.answers.some((answer) =>
    answer.human !== undefined && answer.role === request.role && (answer.action === undefined || answer.action === request.action) && (answer.gate === undefined || answer.gate === request.gate)));
}

function describeAwaiting(checkpoint: Checkpoint): string {
  const awaiting = checkpoint.awaiting ?? [];
  if (awaiting.length === 0) return 'a human gate';
  return awaiting.map((request) => `gate ${request.gate} (action ${request.action}${request.index === undefined ? '' : ` #${request.index}`})`).join(', ');
}
