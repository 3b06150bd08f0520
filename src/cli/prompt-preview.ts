import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { plural, SopError } from '../errors/index.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import type { CommandIo } from './base-command.js';
import type { RunResult } from '../runtime/index.js';
import type { ModelFlags, RunModelSetup } from './model-choice.js';
import type { PreviewCall, PromptsResult } from './prompt-listing.js';

/** `sop prompts`' own flags, also taken by `sop run --dry-run` (declared once). */
export const previewFlags = {
  role: Flags.string({ description: 'Show only the calls of this role.' }),
  action: Flags.string({ description: 'Show only the calls of this action.' }),
  'max-chars': Flags.integer({ description: 'Cut each message after this many characters (default: whole).', min: 1 }),
};

/** What a preview is asked: the run's inputs and model choice, and which calls to show. */
export interface PreviewRequest {
  file: string;
  idea?: string | undefined;
  inputs: string[];
  inc: boolean;
  models: Pick<ModelFlags, 'model' | 'provider'>;
  /** Given: the preview writes there and leaves it (with `inc`: works on a throwaway copy of it); else a throwaway folder. */
  workspace?: string | undefined;
  nRound?: number | undefined;
  role?: string | undefined;
  action?: string | undefined;
  maxChars?: number | undefined;
}

/** The preview asked by `sop prompts`' (or `sop run --dry-run`'s) arguments and flags. */
export function previewRequest(
  args: { file: string; idea?: string | undefined },
  flags: {
    input?: string[] | undefined;
    inc: boolean;
    model?: string | undefined;
    provider?: string | undefined;
    workspace?: string | undefined;
    'n-round'?: number | undefined;
    role?: string | undefined;
    action?: string | undefined;
    'max-chars'?: number | undefined;
  },
): PreviewRequest {
  return {
    file: args.file,
    idea: args.idea,
    inputs: flags.input ?? [],
    inc: flags.inc,
    models: { model: flags.model, provider: flags.provider },
    workspace: flags.workspace,
    nRound: flags['n-round'],
    role: flags.role,
    action: flags.action,
    maxChars: flags['max-chars'],
  };
}

/**
 * Runs the SOP as `sop run` would, except that every model call is answered by the offline model
 * (or the script of `--model script:FILE`), in a throwaway workspace and runs folder, with the
 * rendered prompts of every call collected; prints them (stdout) and returns them. Commands,
 * gates, built-in tools and MCP servers run as in a run (docs/scripted-model.md, "See what a role
 * is asked"); human gates the script does not decide are approved.
 */
export async function previewPrompts(host: CommandIo, request: PreviewRequest): Promise<PromptsResult> {
  const modelFlags: ModelFlags = { cache: false, ...definedOnly(request.models) };
  const { loadRunConfig, prepareRunModels, refuseIdleProvider } = await import('./model-choice.js');
  const config = await loadRunConfig(modelFlags, process.cwd(), process.env);
  for (const warning of await (await import('./unread-config.js')).unreadConfigWarnings(config, process.cwd())) host.warning(warning);
  const { sop } = await host.loadSop(request.file);
  await refuseIdleProvider(config, sop, modelFlags.provider);
  checkFilter(sop, request);
  const { collectInputs } = await import('./run-inputs.js');
  const { inputs } = collectInputs(request.inputs, request.idea, sop.inputs, sop.displayPath);
  if (request.inc) (await import('./incremental.js')).incrementalInputs(inputs, sop.inputs, request.workspace);
  const models = await prepareRunModels(config, sop, modelFlags, process.cwd(), { preview: true });
  const mask = models.runtime.secrets.mask;
  host.useRedact(mask);
  for (const warning of models.warnings()) host.warning(mask(warning));
  await host.warnDiagnostics(models.answerMisfits);
  const script = models.scripted?.script.file;
  // Said when the run has started: input the run refuses (a bound, a file input) is refused with nothing else printed.
  const header = (): void => {
    host.note(`preview: every model call is answered by ${script === undefined ? 'the offline model' : `the script ${script} (else the offline model)`}; no provider is called. Each call names the model a run would use.`);
    if (copied(request)) host.note(`preview: works on a copy of ${request.workspace}; the project there is left as it is`);
  };

  const { result, calls: allCalls } = await runInScratch(host, sop, inputs, models, request, header);
  const { filterCalls, formatCalls } = await import('./prompt-listing.js');
  const calls = filterCalls(allCalls, request);
  if (calls.length > 0) host.out(formatCalls(calls, { maxChars: request.maxChars }));
  host.note(`${calls.length} of ${plural(allCalls.length, 'model call')} shown${notCalledNote(allCalls)}; the previewed run ended ${result.status} (exit ${result.exitCode})`);
  const outcome = (await import('./run-command.js')).runOutcomeError(result, { resumable: false });
  if (outcome) host.note(mask(await (await import('./base-command.js')).describeSopError(outcome)));
  host.concludeWith(outcome);
  return {
    file: request.file,
    answeredBy: script === undefined ? 'offline' : `script:${script}`,
    status: result.status,
    exitCode: result.exitCode,
    ...(request.workspace === undefined || copied(request) ? {} : { workspace: result.workspace }),
    calls,
  };
}

/** The run itself, its record and (unless `--workspace`) its workspace in a temporary folder removed at the end; Ctrl-C stops it cleanly. */
async function runInScratch(
  host: CommandIo,
  sop: ResolvedSop,
  inputs: Record<string, string>,
  models: RunModelSetup,
  request: PreviewRequest,
  onStart: () => void,
): Promise<{ result: RunResult; calls: PreviewCall[] }> {
  const { PromptCollector } = await import('./prompt-listing.js');
  const { runSop, scriptedApprover } = await import('../runtime/index.js');
  const collector = new PromptCollector();
  const fromEnv = (await import('./run-environment.js')).runEnvironment(sop, process.env);
  const approveAll = async (): Promise<{ kind: 'approve' }> => ({ kind: 'approve' });
  const interrupts = (await import('./interrupts.js')).interruptOnSignals((_text, quitNow) => host.note(`\ninterrupting the preview (${quitNow})`));
  const scratch = (await import('../files/index.js')).makeTemporaryFolder('sop-prompts');
  try {
    const workspace = request.workspace === undefined || copied(request) ? path.join(scratch, 'workspace') : request.workspace;
    // Links kept as written: a relative one still points inside the copy.
    if (copied(request)) cpSync(request.workspace, workspace, { recursive: true, verbatimSymlinks: true });
    const result = await runSop(sop, {
      inputs,
      cwd: process.cwd(),
      runsDir: path.join(scratch, 'runs'),
      workspace,
      runtime: models.runtime,
      ...fromEnv,
      ...(models.resolveModel ? { resolveModel: models.resolveModel } : {}),
      ...(request.nRound === undefined ? {} : { nRound: request.nRound }),
      eventPrompts: true,
      onEvent: (event) => {
        if (event.type === 'run-start') onStart();
        collector.onEvent(event);
      },
      approve: models.scripted ? scriptedApprover(models.scripted, approveAll) : approveAll,
      signal: interrupts.signal,
    });
    return { result, calls: collector.calls };
  } finally {
    interrupts.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * An incremental preview runs on a throwaway copy of the project: a preview (`--dry-run`) that
 * rewrote the project's files would lose the edits a person made there since the last run.
 */
function copied(request: PreviewRequest): request is PreviewRequest & { workspace: string } {
  return request.inc && request.workspace !== undefined;
}

/** The models a run would have called, which the preview did not (each call names its own). */
function notCalledNote(calls: readonly PreviewCall[]): string {
  const models = [...new Set(calls.map((call) => call.model))].filter((model) => model !== 'offline' && !model.startsWith('script:'));
  if (models.length === 0) return '';
  return ` (answered instead of ${models.join(', ')}, which ${models.length === 1 ? 'was' : 'were'} not called)`;
}

/** A `--role` or `--action` the SOP does not have is a usage error, not an empty listing. */
function checkFilter(sop: ResolvedSop, request: PreviewRequest): void {
  const roles = sop.roles.map((role) => role.id);
  if (request.role !== undefined && !roles.includes(request.role)) {
    throw new SopError('USAGE', `--role ${request.role}: the SOP has no such role`, { hint: nearNameHint(request.role, roles, 'roles') });
  }
  const actions = sop.roles.filter((role) => request.role === undefined || role.id === request.role).flatMap((role) => role.actions.map((action) => action.id));
  if (request.action !== undefined && !actions.includes(request.action)) {
    throw new SopError('USAGE', `--action ${request.action}: ${request.role === undefined ? 'the SOP' : `role ${request.role}`} has no such action`, { hint: nearNameHint(request.action, actions, 'actions') });
  }
}

/** `did you mean \`triager\`? (roles: a, b)`: the nearest name first, then every name. */
function nearNameHint(given: string, names: readonly string[], noun: string): string {
  const all = `${noun}: ${listNames(names)}`;
  const near = didYouMean(given, names);
  return near === undefined ? all : `${near} (${all})`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
