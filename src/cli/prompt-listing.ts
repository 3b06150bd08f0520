import type { PromptMessage, RunEvent, RunStatus } from '../runtime/index.js';

/** What a model call of a previewed run was for: its first output, a revision a gate asked for, a re-ask after an invalid reply, the turn after tool results, or a role's or gate's own call. */
type PreviewCallKind = 'output' | 'revision' | 'reask' | 'tool-results' | 'judge' | 'react-choice' | 'plan';

/** One model call of a previewed run, with the prompts it was asked (`sop prompts`). */
export interface PreviewCall {
  /** 1-based place in the run's call order (kept when `--role`/`--action` leave calls out). */
  n: number;
  round: number;
  role: string;
  action?: string;
  /** foreach: the item's 0-based index. */
  index?: number;
  kind: PreviewCallKind;
  /** 1-based: which output of the action run (more than 1 after a gate asked for a revision), as a script numbers it. */
  attempt: number;
  /** More than 1: the re-ask number after an invalid reply. */
  reask?: number;
  /** The model a run would call (`openai:gpt-4o`, `offline`); the preview answered it offline or from the script. */
  model: string;
  /** Every message of the request, in order, secrets masked. */
  messages: PromptMessage[];
}

/** `sop prompts`' result (`--json`): the calls of the whole run, in call order. */
export interface PromptsResult {
  file: string;
  /** Who answered every call: `offline`, or `script:FILE`. */
  answeredBy: string;
  /** How the previewed run ended, and the exit code a real run ending so would have (the command's). */
  status: RunStatus;
  exitCode: number;
  /** The workspace the preview wrote to, when one was given (`--workspace`); a throwaway one is removed. */
  workspace?: string;
  calls: PreviewCall[];
}

/**
 * Turns a run's events into its model calls with their prompts. Needs `eventPrompts` (the
 * messages on `llm-call-start`); the output attempt is counted from the action's start and the
 * revisions its gates asked for, as the scripted model counts it.
 */
export class PromptCollector {
  readonly calls: PreviewCall[] = [];
  private readonly attempts = new Map<string, number>();

  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'action-start') this.attempts.set(actionKey(event), 1);
    else if (event.type === 'gate-failed' && event.onFail === 'revise') this.attempts.set(actionKey(event), (this.attempts.get(actionKey(event)) ?? 1) + 1);
    else if (event.type === 'llm-call-start') {
      const attempt = event.action === undefined ? 1 : (this.attempts.get(actionKey(event)) ?? 1);
      const messages = event.messages ?? [];
      this.calls.push({
        n: this.calls.length + 1,
        round: event.round,
        role: event.role,
        ...(event.action === undefined ? {} : { action: event.action }),
        ...(event.index === undefined ? {} : { index: event.index }),
        kind: callKind(event.purpose, event.attempt, attempt, messages),
        attempt,
        ...(event.attempt > 1 ? { reask: event.attempt } : {}),
        model: event.model,
        messages,
      });
    }
  };
}

function actionKey(event: { role: string; action?: string; index?: number }): string {
  return `${event.role}\0${event.action ?? ''}\0${event.index ?? ''}`;
}

function callKind(purpose: 'action' | 'react-choice' | 'plan' | 'judge', reask: number, attempt: number, messages: PromptMessage[]): PreviewCallKind {
  if (purpose !== 'action') return purpose;
  if (messages[messages.length - 1]?.role === 'tool') return 'tool-results';
  if (reask > 1) return 'reask';
  return attempt > 1 ? 'revision' : 'output';
}

/** The calls `--role` and `--action` keep. */
export function filterCalls(calls: readonly PreviewCall[], filter: { role?: string | undefined; action?: string | undefined }): PreviewCall[] {
  return calls.filter((call) => (filter.role === undefined || call.role === filter.role) && (filter.action === undefined || call.action === filter.action));
}

/**
 * The calls as text for people: a header per call (number, round, role, action, item, kind,
 * attempt, model), then each message under its role. A call going on from the one before of the
 * same action and item (a re-ask, the turn after tool results) shows only its new messages. With
 * `maxChars`, a longer message is cut there and says how much was left out.
 */
export function formatCalls(calls: readonly PreviewCall[], options: { maxChars?: number | undefined } = {}): string {
  const lastOf = new Map<string, PreviewCall>();
  const blocks = calls.map((call) => {
    const key = actionKey(call);
    const before = call.action === undefined ? undefined : lastOf.get(key);
    lastOf.set(key, call);
    const shared = before ? sharedPrefix(before.messages, call.messages) : 0;
    const lines = [callHeader(call)];
    if (shared > 0 && before) lines.push(`(messages 1-${shared} as in #${before.n})`);
    for (const message of call.messages.slice(shared)) lines.push(...messageLines(message, options.maxChars));
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

function callHeader(call: PreviewCall): string {
  const parts = [`#${call.n} round ${call.round}`, `role ${call.role}`];
  if (call.action !== undefined) parts.push(`action ${call.action}`);
  if (call.index !== undefined) parts.push(`item ${call.index}`);
  parts.push(call.kind, `attempt ${call.attempt}`);
  if (call.reask !== undefined) parts.push(`re-ask ${call.reask}`);
  parts.push(`model ${call.model}`);
  return `=== ${parts.join(' | ')} ===`;
}

function messageLines(message: PromptMessage, maxChars: number | undefined): string[] {
  const label = message.role === 'tool' && message.toolName !== undefined ? `tool ${message.toolName}` : message.role;
  const lines = [`--- ${label}`];
  if (message.content !== '') lines.push(fold(message.content, maxChars));
  for (const toolCall of message.toolCalls ?? []) lines.push(`-> calls ${toolCall.name} ${fold(toolCall.arguments, maxChars)}`);
  return lines;
}

function fold(text: string, maxChars: number | undefined): string {
  if (maxChars === undefined || text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}\n[... ${text.length - maxChars} more characters]`;
}

function sharedPrefix(before: readonly PromptMessage[], now: readonly PromptMessage[]): number {
  let shared = 0;
  while (shared < before.length && shared < now.length - 1 && sameMessage(before[shared] as PromptMessage, now[shared] as PromptMessage)) shared += 1;
  return shared;
}

function sameMessage(a: PromptMessage, b: PromptMessage): boolean {
  return a.role === b.role && a.content === b.content && a.toolName === b.toolName && JSON.stringify(a.toolCalls) === JSON.stringify(b.toolCalls);
}
