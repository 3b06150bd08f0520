import { isSopError, SopError, type Diagnostic } from '../errors/index.js';
import type { ResolvedAction } from '../spec/resolved.js';
import { elementField, fieldOf, lackingText, missingField, pathText, templateReads, type MissingField } from './missing-field.js';
import { afterAttemptsText, OutputMisfit, requireFieldFix } from './output-misfit.js';
import type { RunState } from './run-state.js';

/**
 * Whom an accepted output is addressed to: its `to` role, the role its dynamic `to` renders to
 * (over the artifact context: `message`, `payload`, `output`, ...), or nobody (delivered by type).
 * The context is built only for a dynamic `to` (most outputs have none: a wide fan-out's thousand).
 * A rendered value that names no role fails the action: delivering it by type instead would hand
 * the work to whoever watches it.
 */
export function recipientOf(state: RunState, action: ResolvedAction, context: Record<string, unknown>, output: string, payload: unknown): string | null {
  if (action.output.toTemplate === undefined) return action.output.to ?? null;
  const value = renderedRecipient(state, action, context, output, payload);
  const roles = state.sop.roles.map((role) => role.id);
  if (roles.includes(value)) return value;
  const { origin } = action.output.toTemplate;
  throw new SopError(
    'ADDRESS_UNRESOLVED',
    `${origin.file}:${origin.line}:${origin.column}: role ${action.roleId}, action ${action.id}: \`to: ${action.output.toTemplate.text.trim()}\` rendered to ${JSON.stringify(value)}, which names no role (roles: ${roles.join(', ')})`,
    { hint: 'make the value one of the roles; an `enum` of role ids on the payload field lets `sop validate` check it before the run' },
  );
}

/**
 * A dynamic `to` rendered over an output. One that reads a field the JSON answer lacks throws
 * `RecipientFieldMissing`: the answer says nothing about whom it goes to, so it is re-asked like one
 * that breaks its schema (the action's output check renders it while the answer is read); any
 * other failure (an SOP mistake) is thrown as it is.
 */
export function renderedRecipient(state: RunState, action: ResolvedAction, context: Record<string, unknown>, output: string, payload: unknown): string {
  const template = action.output.toTemplate;
  if (template === undefined) throw new SopError('INTERNAL', `action ${action.id} has no dynamic \`to\``);
  const toContext = { ...context, output, payload };
  try {
    return state.compiled.render(template, toContext).trim();
  } catch (error) {
    if (action.output.format !== 'json' || !isSopError(error)) throw error;
    const missing = missingField(error, 'template', templateReads(state.compiled.template(template)), ['payload'], toContext);
    if (!missing) throw error;
    const { origin } = template;
    const at = error.diagnostics[0] ?? { code: 'OUTPUT_INVALID', severity: 'error', message: error.message, file: origin.file, line: origin.line + origin.lineOffset, column: origin.column, pointer: origin.pointer };
    throw new RecipientFieldMissing({ action, missing, at, hasSchema: state.sop.messages[action.output.type]?.schema !== undefined });
  }
}

interface RecipientPlace {
  action: ResolvedAction;
  missing: MissingField;
  /** Where the `to` reads the field. */
  at: Diagnostic;
  hasSchema: boolean;
}

/** A dynamic `to` that reads a field the JSON answer lacks (`to: "{{ payload.team }}"`, no `team`). */
class RecipientFieldMissing extends OutputMisfit {
  constructor(
    private readonly place: RecipientPlace,
    attempts?: number,
  ) {
    const { action, missing } = place;
    const to = action.output.toTemplate?.text.trim() ?? '';
    const read = pathText(missing.read);
    // Through a loop (`{% for t in payload.teams %}`), the field an item lacks.
    const element = elementField(missing.missing);
    const field = element?.field ?? fieldOf(pathText(missing.missing));
    const lacking = lackingText(missing.missing, missing.indexes);
    super(
      `${element ? lacking : `\`${field}\` is missing`}: the message is addressed to the role that \`${read}\` names (\`to: ${to}\`)`,
      `role ${action.roleId}, action ${action.id}: the output cannot be addressed${afterAttemptsText(attempts)}: \`to: ${to}\` reads \`${read}\`, and ${lacking}`,
      place.at,
      `${requireFieldFix({ type: action.output.type, hasSchema: place.hasSchema }, field, element?.list)} ` +
        '(the model is then asked for it up front), or let the template fall back to a role when it is absent',
    );
  }

  afterAttempts(attempts: number): RecipientFieldMissing {
    return new RecipientFieldMissing(this.place, attempts);
  }
}
