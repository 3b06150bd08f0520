import path from 'node:path';
import { EXIT, SopError } from '../errors/index.js';
import type { QueuedCaseRunner } from '../eval/case-run.js';
import type { QueueClient, QueueKey, RedisAddress } from '../queue/index.js';
import type { RunEvent } from '../runtime/events.js';
import { DEFAULT_SOP_COMMAND, resumeCommand, typedAs } from '../runtime/resume-target.js';
import type { ResolvedSop } from '../spec/resolved.js';

/**
 * Opens the queue of `--queue URL --queue-name NAME` (`--queue-keep-days`: how long the runs it
 * queues are kept; `key`: seals their secret inputs, see `submitterKey`; `sopCommand`: how the
 * client's hints type `sop`); the URL's credentials are secrets the caller masks.
 */
export async function openQueue(
  url: string,
  given: string | undefined,
  { keepDays, key, sopCommand, warning }: { keepDays?: number | undefined; key?: QueueKey | undefined; sopCommand: string; warning: (text: string) => void },
): Promise<{ client: QueueClient; address: RedisAddress; name: string }> {
  const { readRedisUrl, QueueClient, QUEUE_NAME_PATTERN, DEFAULT_QUEUE, quietRedisAuthWarnings, redisAuthNote } = await import('../queue/index.js');
  const name = given ?? DEFAULT_QUEUE;
  const address = readRedisUrl(url, '--queue');
  if (!QUEUE_NAME_PATTERN.test(name)) throw new SopError('USAGE', `--queue-name ${name}: letters, digits, _ and - only (1 to 64)`, { hint: '--queue-name support' });
  quietRedisAuthWarnings();
  const client = await QueueClient.open(address, name, { ...(keepDays === undefined ? {} : { keepDays }), key, sopCommand });
  // ioredis's own warning of unused credentials is kept from the terminal: said here once, as sop.
  const note = redisAuthNote(address);
  if (note !== undefined) warning(note);
  return { client, address, name };
}

/**
 * The submitter's SOP_QUEUE_KEY, which seals the secret inputs of the runs it queues, read before
 * anything is queued or Redis reached: a malformed key, or a run (of `inputsOfRuns`) with a secret
 * input and no key, is refused (exit 2) naming the variable or the input.
 */
export async function submitterKey(sop: ResolvedSop, inputsOfRuns: Iterable<Readonly<Record<string, unknown>>>, env: NodeJS.ProcessEnv): Promise<QueueKey | undefined> {
  const { readQueueKey, requireQueueKey, secretInputNames } = await import('../queue/index.js');
  const key = readQueueKey(env);
  for (const inputs of inputsOfRuns) requireQueueKey(secretInputNames(sop, inputs), key);
  return key;
}

/**
 * The scripts a queued run's `script:FILE` models read, put in its bundle (`scriptBundlePath`): the
 * one `--model script:FILE` names, else each one the SOP names (`model: script:FILE`), each read and
 * checked here so a broken one fails before anything is queued. The worker reads scripts from the
 * bundle only; the model choice travels as given.
 */
export async function travellingModels(sop: ResolvedSop, models: { model?: string; provider?: string }, cwd: string): Promise<{ models: { model?: string; provider?: string }; extra: Record<string, Buffer> }> {
  const [{ SCRIPT }, { plannedModelRefs }, { bundledFiles }, { refuseProjectServerPaths }] = await Promise.all([
    import('../providers/model-ref.js'),
    import('../runtime/models.js'),
    import('../queue/bundle.js'),
    import('../queue/server-paths.js'),
  ]);
  // Before the queue is opened: an MCP server the worker could not start is refused without Redis.
  refuseProjectServerPaths(sop, bundledFiles(sop));
  const prefix = `${SCRIPT}:`;
  if (models.provider === SCRIPT) throw new SopError('USAGE', `--provider ${SCRIPT} cannot be used with --queue`, { hint: `give the script as --model ${prefix}FILE: it travels with the run` });
  const named = models.model === undefined ? plannedModelRefs(sop).map((ref) => ref?.name?.trim()) : [models.model.trim()];
  const files = [...new Set(named.filter((name) => name?.startsWith(prefix)).map((name) => (name as string).slice(prefix.length).trim()))];
  if (files.length === 0) return { models, extra: {} };
  const [{ readScript }, { scriptBundlePath }] = await Promise.all([import('../providers/script/load-script.js'), import('../queue/job.js')]);
  const extra: Record<string, Buffer> = {};
  // The text checked is the text sent: read once.
  for (const file of files) extra[scriptBundlePath(file)] = Buffer.from(readScript(file, cwd).text);
  return { models, extra };
}

/** A redactor that masks the queue's secrets too (the secret mask's rules: `createRedactor`). */
export async function maskingAlso(address: RedisAddress, redact: (text: string) => string): Promise<(text: string) => string> {
  const { createRedactor } = await import('../providers/redact.js');
  const mask = createRedactor(address.secrets);
  return (text) => mask(redact(text).replaceAll(address.url, address.shown));
}

/** How each model of an eval travels (`travellingModels`), keyed by the model as the eval names it. */
export type TravellingModels = Map<string, Awaited<ReturnType<typeof travellingModels>>>;

/**
 * `sop eval --queue`: each case's run submitted, followed to its end and brought home as a local
 * run record; a `script:FILE` model travels in each case's bundle (`travelling`, read once).
 */
export function queuedCaseRunner(client: QueueClient, sop: ResolvedSop, travelling: TravellingModels): QueuedCaseRunner {
  return async (request) => {
    const travel = travelling.get(request.model) ?? { models: { model: request.model }, extra: {} };
    const runId = await client.submit(
      sop,
      {
        inputs: request.inputs,
        models: travel.models,
        ...(request.investment === undefined ? {} : { investment: request.investment }),
        ...(request.nRound === undefined ? {} : { nRound: request.nRound }),
      },
      travel.extra,
    );
    request.onStart(runId);
    const outcome = await client.follow(runId, () => undefined);
    return client.bringHome(runId, outcome, { runsDir: request.runsDir, workspace: path.join(request.workspacesDir, runId) });
  };
}

/**
 * The hint of a queued run that did not complete, naming the queue (`queueArgs`) and only what
 * works with it: `--approve`/`--reject` for a paused run (not `--edit`), more rounds or budget,
 * a new run for a changed SOP or script (a queued run's SOP and script are its bundle, so `--allow-changed-sop` cannot
 * apply). Undefined: the worker's hint stands (or there is none), as for a storage error, whose
 * own hint says what to fix and how to resume (the follower adds the queue's resume to it). The
 * worker wrote its hints with the default `sop`; the follower types every command in it as
 * `sopCommand` (`typedAs`).
 */
export function queuedHint(outcome: { status: string; exitCode: number; report: { hint?: string | undefined } }, runId: string, queueArgs: string, sopCommand: string = DEFAULT_SOP_COMMAND): string | undefined {
  const hint = queueHintOf(outcome, runId, queueArgs);
  return hint === undefined ? undefined : typedAs(hint, sopCommand);
}

/** `queuedHint` with the default `sop`, as the worker wrote the run's hint. */
function queueHintOf(outcome: { status: string; exitCode: number; report: { hint?: string | undefined } }, runId: string, queueArgs: string): string | undefined {
  const resume = `${resumeCommand(runId)} ${queueArgs}`;
  if (outcome.status === 'completed' || outcome.exitCode === EXIT.STORAGE_FAILED) return undefined;
  if (outcome.status === 'awaiting_approval') return `review the output, then continue with \`${resume} --approve\` or \`${resume} --reject "what to change"\``;
  const hint = outcome.report.hint;
  if (hint === undefined) return `resume with: ${resume}`;
  // A changed SOP (a stalled run's fix, a higher max_tokens) cannot reach a queued run: a new run can.
  const newRun = 'and submit a new run (a queued run\'s SOP is fixed when it is submitted)';
  if (hint.includes('--allow-changed-sop')) {
    return hint
      .replace(/raise `settings\.max_tokens` in the SOP, then: .*$/, `raise \`settings.max_tokens\` in the SOP ${newRun}`)
      .replace(/fix the SOP, then continue with `sop resume \S+ --allow-changed-sop`$/, `fix the SOP ${newRun}`)
      .replace(/; then continue the run from its last finished round: sop resume \S+ --allow-changed-sop$/, '; then submit a new run (a queued run\'s script is fixed when it is submitted)');
  }
  return hint.replaceAll(`sop resume ${runId}`, resume);
}

/**
 * A queued run's event as its follower shows it (progress, JSON log, CI reports): no path of the
 * worker's machine, where the user can do nothing. The workspace is the local one its files come
 * to when it ends; the SOP is named by its file name (it is the file at its bundle's root, a
 * temporary folder of the worker); the hint of its end names the queue (`queuedHint`), as the
 * summary's does (the JSON log's run-end line is its summary).
 */
export function followedEvent(event: RunEvent, runId: string, queueArgs: string, workspace: string, sopCommand: string = DEFAULT_SOP_COMMAND): RunEvent {
  if (event.type === 'run-start') return { ...event, file: path.basename(event.file), workspace };
  if (event.type !== 'run-end') return event;
  const hint = queuedHint({ status: event.status, exitCode: event.exitCode, report: { hint: event.hint } }, runId, queueArgs, sopCommand);
  return hint === undefined ? event : { ...event, hint };
}
