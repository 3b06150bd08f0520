import { isSopError, type SopError } from '../errors/index.js';
import { expressionExcerpt } from '../expressions/index.js';
import type { ExpressionText, ResolvedCommand } from '../spec/resolved.js';
import { printableText } from '../spec/text-encoding.js';
import { templateError } from '../templates/index.js';
import { frameFields, type ActionFrame } from './action-frame.js';
import { OUTPUT_TAIL_BYTES, runCommand } from '../tools/run-command.js';
import type { EventScope } from './event-recorder.js';
import { RunHalt } from './run-halt.js';
import { quoteArgument } from './shell-argument.js';
import type { RunState } from './run-state.js';

/** The payload of a command action's message (and what a command gate looks at). */
export interface CommandPayload {
  command: string;
  exit_code: number;
  passed: boolean;
  stdout: string;
  stderr: string;
  duration_ms: number;
}

/** Characters of each stream quoted in the message content (the payload keeps 8 KiB). */
const CONTENT_TAIL_CHARS = 2000;

/** Bytes read before the payload's tail: a secret up to this long that its cut goes through is masked whole. */
const SECRET_MARGIN_BYTES = 4096;

/**
 * Renders a command (argv elements, env values), runs it inside the workspace under the
 * concurrency limit, and records `command-start`/`command-end`.
 */
export async function executeCommand(
  state: RunState,
  events: EventScope,
  frame: ActionFrame,
  spec: ResolvedCommand,
  context: Record<string, unknown>,
  /** Whose command it is when not the action's own: a gate's, or the action's precondition (named so in its events). */
  owner: { gate: string } | { precondition: true } | Record<string, never> = {},
): Promise<{ payload: CommandPayload; content: string }> {
  const gate = 'gate' in owner ? owner.gate : undefined;
  const argv = spec.argv ? state.compiled.strings(spec.argv, context) : spec.command.map((part) => state.compiled.render(part, context));
  if (argv.length === 0 && spec.argv) throw emptyArgv(spec.argv);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.env)) env[name] = state.compiled.render(value, context);
  const cwd = state.workspace.ensureFolder(spec.cwd ?? '.');
  const where = { ...frameFields(frame), ...owner };
  if (state.signal?.aborted) throw new RunHalt('interrupted');
  const result = await state.limiter
    .run(async () => {
      // A drain that began while it waited for a slot: it does not start.
      if (state.signal?.aborted) throw new RunHalt('interrupted');
      events.emit({ type: 'command-start', ...where, argv, cwd: state.workspace.relative(cwd) || '.' });
      // More than the payload keeps: the mask sees whole a secret its cut would go through. Cut off
      // by `callSignal`, not `state.signal`: a drain lets a started command finish (not torn midway).
      return runCommand({ argv, cwd, env, timeoutMs: spec.timeoutSeconds * 1000, signal: state.callSignal, noteCommand: state.noteCommand, tailBytes: OUTPUT_TAIL_BYTES + SECRET_MARGIN_BYTES });
    })
    .catch((error: unknown) => {
      // A program that cannot start is an SOP problem: point at the command where it is declared.
      const declared = spec.command[0]?.origin ?? spec.argv?.origin;
      if (!isSopError(error) || error.code !== 'COMMAND_FAILED' || !declared) throw error;
      const whose = gate !== undefined ? `gate "${gate}" of action ${frame.action.id}` : 'precondition' in owner ? `precondition of action ${frame.action.id}` : `action ${frame.action.id}`;
      throw templateError('COMMAND_FAILED', declared, undefined, `${whose}: ${error.message}`, error.hint);
    });
  if (state.signal?.aborted) throw new RunHalt('interrupted');
  const passed = result.exitCode === 0;
  events.emit({ type: 'command-end', ...where, exitCode: result.exitCode, passed, timedOut: result.timedOut, durationMs: result.durationMs });
  const command = argv.map(quoteArgument).join(' ');
  // The output as text: a test runner's colour codes mean nothing to a model, a report or a gate's
  // feedback, and would show there as `\uFFFD[31m`. Masked before any cut of it (the content's,
  // a gate's feedback), so no cut leaves part of a secret the mask no longer finds.
  const mask = state.runtime.secrets.mask;
  const payload: CommandPayload = {
    command,
    exit_code: result.exitCode,
    passed,
    stdout: lastBytes(mask(printableText(result.stdout)), OUTPUT_TAIL_BYTES),
    stderr: lastBytes(mask(printableText(result.stderr)), OUTPUT_TAIL_BYTES),
    duration_ms: result.durationMs,
  };
  return { payload, content: summarize(payload, result.timedOut) };
}

/** A `command` expression that gave `[]`: there is no program to run. */
function emptyArgv(argv: ExpressionText): SopError {
  return templateError('EXPRESSION_EVAL', argv.origin, undefined, `command \`${expressionExcerpt(argv.source)}\` gave an empty list: there is no program to run`,
    'give the program and its arguments, e.g. a `vars` entry per case, and a `when.if` or gate `if` that skips the other cases');
}

/** The last `bytes` bytes of `text` (a character cut through dropped). */
function lastBytes(text: string, bytes: number): string {
  const data = Buffer.from(text, 'utf8');
  return data.length <= bytes ? text : data.subarray(data.length - bytes).toString('utf8').replace(/^\uFFFD+/, '');
}

/** A short, deterministic summary: the command, how it ended, and the tail of its output. */
function summarize(payload: CommandPayload, timedOut: boolean): string {
  const verdict = timedOut ? 'timed out' : payload.passed ? 'passed' : 'failed';
  const lines = [`$ ${payload.command}`, `exit code ${payload.exit_code} (${verdict})`];
  for (const [name, text] of [['stdout', payload.stdout], ['stderr', payload.stderr]] as const) {
    if (text.trim() === '') continue;
    const tail = text.length > CONTENT_TAIL_CHARS ? `...${text.slice(-CONTENT_TAIL_CHARS)}` : text;
    lines.push(`--- ${name} ---`, tail.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
