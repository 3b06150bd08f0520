import { isSopError, type Diagnostic } from '../errors/index.js';
import type { ExpressionText, ResolvedArtifact, SourceOrigin, TemplateText } from '../spec/resolved.js';
import type { ActionFrame } from './action-frame.js';
import type { Compiled } from './compiled.js';
import { afterAttemptsText, OutputMisfit, requireFieldFix } from './output-misfit.js';
import { elementField, expressionReads, fieldOf, itemText, lackingText, missingField, pathText, templateReads } from './missing-field.js';

/**
 * An artifact whose template, `if` or `foreach` reads a field the output does not have
 * (`{{ payload.title }}` from an answer without `title`): the answer does not fit, so it is
 * re-asked, and names what is missing when no attempt is left.
 */
export class OutputFieldMissing extends OutputMisfit {
  constructor(
    problem: string,
    private readonly place: { role: string; action: string; artifact: string; reader: ArtifactPart['kind']; read: string; missing: string[]; indexes: number[]; foreach: string | undefined; item: number | undefined; at: Diagnostic; outputType: string; hasSchema: boolean },
    attempts?: number,
  ) {
    super(problem, describe(place, attempts), place.at, hintFor(place));
  }

  afterAttempts(attempts: number): OutputFieldMissing {
    return new OutputFieldMissing(this.problem, this.place, attempts);
  }
}

function describe(place: OutputFieldMissing['place'], attempts: number | undefined): string {
  const lacking = place.foreach === undefined ? lackingText(place.missing, place.indexes) : `${itemText(place.foreach, place.item)} has no field \`${fieldOf(place.missing.join('.'))}\``;
  return `role ${place.role}, action ${place.action}: artifact \`${place.artifact}\` cannot be written from the output${afterAttemptsText(attempts)}: ` +
    `its ${place.reader === 'template' ? 'template' : `\`${place.reader}\``} reads \`${place.read}\`, and ${lacking}`;
}

function hintFor(place: OutputFieldMissing['place']): string {
  const element = elementField(place.missing);
  const field = element?.field ?? fieldOf(place.missing.join('.'));
  const items = place.foreach ?? element?.list;
  const schemaFix = requireFieldFix({ type: place.outputType, hasSchema: place.hasSchema }, field, items);
  const guard = place.reader === 'template'
    ? 'let the template do without it (an `if` around it)'
    : element
      ? `test each item for it inside the macro (\`has(x.${field})\` for its variable \`x\`)`
      : `write the artifact only when it is there (\`if: has(${place.missing.join('.')})\`)`;
  return `${schemaFix} (the model is then asked for it up front), or ${guard}`;
}

/** What of an artifact failed: its path or content template, or its `if` or `foreach` condition. */
export type ArtifactPart = { kind: 'template'; text: TemplateText } | { kind: 'if' | 'foreach'; text: ExpressionText };

/**
 * The field an artifact failed on when the output lacks it, or undefined when the failure is
 * something else (an SOP mistake no answer can fix; told apart by `missingField`). The output
 * fills `payload`, and `item` in an artifact's own foreach.
 */
export function missingOutputField(
  compiled: Compiled,
  frame: ActionFrame,
  artifact: ResolvedArtifact,
  artifactName: string,
  part: ArtifactPart,
  context: Record<string, unknown>,
  error: unknown,
  output: { type: string; hasSchema: boolean },
  /** The item's index in the artifact's `foreach`, when the part was rendered for one. */
  item?: number,
): OutputFieldMissing | undefined {
  if (!isSopError(error)) return undefined;
  const at = error.diagnostics[0] ?? originDiagnostic(part.text.origin, error.message);
  if (at.line === undefined) return undefined;
  // The artifact's own `if` and `foreach` are evaluated before there is an item.
  const roots = artifact.foreach && part.kind === 'template' ? ['payload', 'item'] : ['payload'];
  const named = missingField(error, part.kind === 'template' ? 'template' : 'expression', readsOf(compiled, part), roots, context);
  if (!named) return undefined;
  const read = pathText(named.read);
  const missing = named.missing;
  const foreach = named.read[0] === 'item' ? artifact.foreach?.source : undefined;
  const where = part.kind === 'template' ? '' : ` (its \`${part.kind}\`)`;
  const problem = foreach !== undefined
    ? `${itemText(foreach, item)} has no \`${fieldOf(missing.join('.'))}\`: the artifact \`${artifactName}\` is written from \`${read}\` for each item`
    : elementField(missing)
      ? `${lackingText(missing, named.indexes)}: the artifact \`${artifactName}\` is written from \`${read}\`${where}`
      : `\`${fieldOf(missing.join('.'))}\` is missing: the artifact \`${artifactName}\` is written from \`${read}\`${where}`;
  return new OutputFieldMissing(problem, { role: frame.role.id, action: frame.action.id, artifact: artifactName, reader: part.kind, read, missing, indexes: named.indexes, foreach, item, at, outputType: output.type, hasSchema: output.hasSchema });
}

/** The context paths a part reads (a template's partials included). */
function readsOf(compiled: Compiled, part: ArtifactPart): string[][] {
  return part.kind === 'template' ? templateReads(compiled.template(part.text)) : expressionReads(compiled.expression(part.text));
}

/** Where a part starts, when its error carries no diagnostic. */
function originDiagnostic(origin: SourceOrigin, message: string): Diagnostic {
  return { code: 'OUTPUT_INVALID', severity: 'error', message, file: origin.file, line: origin.line + origin.lineOffset, column: origin.column, pointer: origin.pointer };
}
