import { isSopError, SopError } from '../errors/index.js';
import { EACH } from '../expressions/index.js';
import type { TemplateText } from '../spec/resolved.js';
import type { ActionFrame } from './action-frame.js';
import { elementField, itemText, missingField, pathText, templateReads } from './missing-field.js';
import { requireFieldFix } from './output-misfit.js';
import type { RunState } from './run-state.js';

/** The roots of an action's context that hold the messages it answers (`messages`: a batch's). */
const MESSAGE_ROOTS = ['message', 'messages'];

/**
 * An action's prompt that failed on a field the payload of the message it answers lacks (`{{
 * message.payload.title }}`, or `{{ step.title }}` in a loop over `message.payload.steps`): the
 * same TEMPLATE_RENDER at the same place, saying which message (its type and sender, its index in
 * a batch), which field (and which item of a list), and how to make the sender give it. Undefined
 * for any other failure, thrown as it is.
 */
export function promptFieldMissing(state: RunState, frame: ActionFrame, prompt: TemplateText, context: Record<string, unknown>, error: unknown): SopError | undefined {
  if (!isSopError(error)) return undefined;
  // Only the field the error names: a prompt failing on something else (an input) is not the message's fault.
  const named = missingField(error, 'template', templateReads(state.compiled.template(prompt)), MESSAGE_ROOTS, context, { named: true });
  const at = error.diagnostics[0];
  if (!named || !at) return undefined;
  const { missing, indexes } = named;
  const batch = missing[0] === 'messages';
  // Only the payload is the sender's to fill: `message.content` and the others are always there.
  const inPayload = batch ? missing[1] === EACH && missing[2] === 'payload' : missing[1] === 'payload';
  const field = missing.slice(batch ? 3 : 2);
  if (!inPayload || field.length === 0) return undefined;
  const index = batch ? indexes[0] : undefined;
  const message = (batch ? (context['messages'] as unknown[])[index as number] : context['message']) as { type?: unknown; from?: unknown };
  const type = String(message.type);
  const element = elementField(['payload', ...field]);
  const itemIndexes = batch ? indexes.slice(1) : indexes;
  const which = `the ${type} message from ${String(message.from)}${index === undefined ? '' : ` at index ${index} of \`messages\``}`;
  const lacking = element
    ? `${itemText(element.list, itemIndexes.at(-1))} in ${which} has no field \`${element.field}\``
    : `${which} has no field \`${field.join('.')}\``;
  const text = `role ${frame.role.id}, action ${frame.action.id}: the prompt reads \`${pathText(named.read)}\`, and ${lacking}`;
  const schemaFix = requireFieldFix({ type, hasSchema: state.sop.messages[type]?.schema !== undefined }, element?.field ?? field.join('.'), element?.list);
  const hint = `${schemaFix} (a model that sends it is then asked for it up front, and an answer without it is asked again), or let the prompt do without it (an \`if\` around it)`;
  return new SopError('TEMPLATE_RENDER', `${at.file}:${at.line}:${at.column}: ${text}`, {
    hint,
    diagnostics: [{ ...at, message: text, hint }],
  });
}
