import { SopError } from '../errors/index.js';
import type { ChatMessage } from '../providers/chat-model.js';
import type { OfflineHints } from '../providers/offline/hints.js';
import { readJson } from '../outputs/index.js';
import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';
import type { EventScope } from './event-recorder.js';
import { callModel } from './llm-call.js';
import type { Message } from './message.js';
import type { RunState } from './run-state.js';
import { roleIdentity } from './system-prompt.js';

/** Re-asks for an invalid react choice before treating it as `done`. */
const CHOICE_RETRIES = 2;

/**
 * Schemas are cached by their options so each is compiled once (validators cache by object).
 * Module-level on purpose: a schema is immutable data derived from its options alone, the same for
 * every run and runtime (`docs/design.md`, "Shared state").
 */
const schemaCache = new Map<string, Record<string, unknown>>();

function cached(key: string, build: () => Record<string, unknown>): Record<string, unknown> {
  let schema = schemaCache.get(key);
  if (!schema) {
    schema = build();
    schemaCache.set(key, schema);
  }
  return schema;
}

function choiceSchema(options: string[]): Record<string, unknown> {
  return cached(`choice\0${options.join('\0')}`, () => ({
    type: 'object',
    required: ['action'],
    properties: { action: { enum: options }, reason: { type: 'string' } },
  }));
}

function planSchema(options: string[]): Record<string, unknown> {
  return cached(`plan\0${options.join('\0')}`, () => ({
    type: 'object',
    required: ['steps'],
    properties: {
      steps: {
        type: 'array',
        items: { type: 'object', required: ['action'], properties: { action: { enum: options }, reason: { type: 'string' } } },
      },
    },
  }));
}

/**
 * `react` mode: asks the model which matching action to run next for this message, or `done`.
 * An invalid choice is re-asked up to twice, then taken as `done` (`react-choice-invalid`).
 */
export async function chooseAction(
  state: RunState,
  events: EventScope,
  round: number,
  role: ResolvedRole,
  message: Message,
  actions: ResolvedAction[],
  chosen: string[],
): Promise<string> {
  const options = [...actions.map((action) => action.id), 'done'];
  const schema = choiceSchema(options);
  const request = [
    newsText(message),
    'Actions you can take now:',
    ...actions.map((action) => `- ${action.id}${action.description ? `: ${action.description}` : ''}`),
    '- done: nothing more to do for this message',
    chosen.length > 0 ? `Already done for this message, in order: ${chosen.join(', ')}` : 'Nothing has been done for this message yet.',
    `Reply with JSON only: {"action": one of ${options.join(' | ')}, "reason": "why"}`,
  ].join('\n');
  const answer = await askStructured(state, events, round, role, request, schema, CHOICE_RETRIES + 1, 'choice', {
    kind: 'react-choice',
    role: role.id,
    options,
    chosen: [...chosen],
  });
  if (!answer.ok) {
    events.emit({ type: 'react-choice-invalid', round, role: role.id, message: message.id, errors: answer.errors, raw: answer.raw });
    return 'done';
  }
  const value = answer.value as { action: string; reason?: string };
  events.emit({ type: 'react-choice', round, role: role.id, message: message.id, action: value.action, reason: value.reason ?? '' });
  return value.action;
}

/**
 * `plan_and_act` mode: asks for a plan over the matching actions; an invalid plan is re-asked up
 * to `max_replans` times, then the run fails with `OUTPUT_INVALID`.
 */
export async function makePlan(
  state: RunState,
  events: EventScope,
  round: number,
  role: ResolvedRole,
  message: Message,
  actions: ResolvedAction[],
): Promise<string[]> {
  const options = actions.map((action) => action.id);
  const schema = planSchema(options);
  const request = [
    newsText(message),
    'Actions you can use (each step runs one):',
    ...actions.map((action) => `- ${action.id}${action.description ? `: ${action.description}` : ''}`),
    `Write a plan. Reply with JSON only: {"steps": [{"action": one of ${options.join(' | ')}, "reason": "why"}]}`,
  ].join('\n');
  const answer = await askStructured(state, events, round, role, request, schema, role.react.maxReplans + 1, 'plan', {
    kind: 'plan',
    role: role.id,
    options,
  });
  if (!answer.ok) {
    throw new SopError('OUTPUT_INVALID', `role ${role.id}: the plan for message ${message.id} is invalid after ${role.react.maxReplans + 1} attempts: ${answer.errors.join('; ')}`, {
      hint: 'raise react.max_replans, or use react.mode by_order',
    });
  }
  const steps = ((answer.value as { steps: Array<{ action: string; reason?: string }> }).steps ?? []).map((step) => ({
    action: step.action,
    reason: step.reason ?? '',
  }));
  events.emit({ type: 'plan-created', round, role: role.id, message: message.id, steps });
  return steps.map((step) => step.action);
}

function newsText(message: Message): string {
  return `New message ${message.id} (${message.type} from ${message.from}):\n${message.content}\n`;
}

type StructuredAnswer = { ok: true; value: unknown } | { ok: false; errors: string[]; raw: string };

async function askStructured(
  state: RunState,
  events: EventScope,
  round: number,
  role: ResolvedRole,
  request: string,
  schema: Record<string, unknown>,
  attempts: number,
  name: string,
  hints: Extract<OfflineHints, { kind: 'react-choice' | 'plan' }>,
): Promise<StructuredAnswer> {
  const messages: ChatMessage[] = [
    { role: 'system', content: roleIdentity(role) },
    { role: 'user', content: request },
  ];
  let errors: string[] = [];
  let raw = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) state.usage.countReask(role.id, undefined);
    const response = await callModel(state, events, {
      round,
      role: role.id,
      refs: [role.model],
      messages,
      offlineHints: hints,
      responseSchema: { name, schema },
      attempt,
    });
    raw = response.text;
    const read = readJson(response.text);
    errors = read.ok ? state.validators.validate(name, schema, read.value) : [read.error];
    if (read.ok && errors.length === 0) return { ok: true, value: read.value };
    messages.push(
      { role: 'assistant', content: response.text },
      { role: 'user', content: `That reply is invalid:\n${errors.map((line) => `- ${line}`).join('\n')}\nReply again with JSON only.` },
    );
  }
  return { ok: false, errors, raw };
}
