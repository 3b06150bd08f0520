import { isSopError, SopError, type Diagnostic } from '../errors/index.js';
import type { ResolvedArtifact, TemplateText } from '../spec/resolved.js';
import type { ActionFrame } from './action-frame.js';
import type { Compiled } from './compiled.js';

/**
 * An artifact whose template reads a field the output does not have (`{{ payload.title }}` from an
 * answer without `title`): the answer does not fit, so it is re-asked like one that breaks its
 * schema (see `produceModelOutput`), and names what is missing when no attempt is left.
 */
export class OutputFieldMissing extends SopError {
  constructor(
    /** What the model is told: the field and the artifact that needs it. */
    readonly problem: string,
    private readonly place: { role: string; action: string; artifact: string; read: string; missing: string; foreach: string | undefined; at: Diagnostic; outputType: string; hasSchema: boolean },
    attempts?: number,
  ) {
    const message = describe(place, attempts);
    const { at } = place;
    super('OUTPUT_INVALID', `${at.file}:${at.line}:${at.column}: ${message}`, {
      hint: hintFor(place),
      diagnostics: [{ code: 'OUTPUT_INVALID', severity: 'error', message, file: at.file, line: at.line, column: at.column, pointer: at.pointer, hint: hintFor(place) }],
    });
  }

  /** The same failure once `attempts` answers all lacked a field. */
  afterAttempts(attempts: number): OutputFieldMissing {
    return new OutputFieldMissing(this.problem, this.place, attempts);
  }
}

function describe(place: OutputFieldMissing['place'], attempts: number | undefined): string {
  const after = attempts === undefined ? '' : ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const lacking = place.foreach === undefined ? 'the output has' : `an item of \`${place.foreach}\` has`;
  return `role ${place.role}, action ${place.action}: artifact ${place.artifact} cannot be written from the output${after}: ` +
    `its template reads \`${place.read}\`, and ${lacking} no field \`${fieldOf(place.missing)}\``;
}

/** A missing path as the answer's own field: `payload.meta.title` is `meta.title`. */
function fieldOf(missing: string): string {
  return missing.slice(missing.indexOf('.') + 1);
}

function hintFor(place: OutputFieldMissing['place']): string {
  const field = fieldOf(place.missing);
  const schemaFix = place.hasSchema
    ? `list \`${field}\` under \`required\` in the schema of message type ${place.outputType}${place.foreach === undefined ? '' : ` (the schema of the items of \`${place.foreach}\`)`}`
    : `declare a \`schema\` for message type ${place.outputType} that lists \`${field}\` under \`required\``;
  return `${schemaFix} (the model is then asked for it up front), or let the template do without it (an \`if\` around it)`;
}

/**
 * The field an artifact's render failed on when the output lacks it, or undefined when the failure
 * is something else (an SOP mistake no answer can fix). The output fills `payload`, and `item` in
 * an artifact's own foreach. Of the paths the template reads that the output lacks, the one the
 * engine's message names wins: a missing field under a lenient `{% if %}` did not fail the render.
 */
export function missingOutputField(
  compiled: Compiled,
  frame: ActionFrame,
  artifact: ResolvedArtifact,
  artifactName: string,
  template: TemplateText,
  context: Record<string, unknown>,
  error: unknown,
  output: { type: string; hasSchema: boolean },
): OutputFieldMissing | undefined {
  if (!isSopError(error) || error.code !== 'TEMPLATE_RENDER') return undefined;
  const at = error.diagnostics[0];
  if (at?.line === undefined) return undefined;
  const roots = artifact.foreach ? ['payload', 'item'] : ['payload'];
  const compiledTemplate = compiled.template(template);
  const reads = [...compiledTemplate.variables(), ...(compiledTemplate.partialReads?.() ?? []).filter((read) => !read.isolated).map((read) => read.path)];
  const candidates: Array<{ read: string[]; missing: string[] }> = [];
  for (const read of reads) {
    if (!roots.includes(read[0] ?? '')) continue;
    const missing = absentPrefix(context, read);
    if (missing) candidates.push({ read, missing });
  }
  const named = candidates.find(({ read, missing }) => at.message.includes(read.join('.')) || at.message.includes(`"${missing.at(-1)}"`)) ?? candidates[0];
  if (!named) return undefined;
  const read = named.read.join('.');
  const missing = named.missing.join('.');
  const foreach = named.read[0] === 'item' ? artifact.foreach?.source : undefined;
  const problem = foreach === undefined
    ? `\`${fieldOf(missing)}\` is missing: the artifact ${artifactName} is written from \`${read}\``
    : `an item of \`${foreach}\` has no \`${fieldOf(missing)}\`: the artifact ${artifactName} is written from \`${read}\` for each item`;
  return new OutputFieldMissing(problem, { role: frame.role.id, action: frame.action.id, artifact: artifactName, read, missing, foreach, at, outputType: output.type, hasSchema: output.hasSchema });
}

/** The shortest prefix of `path` that has no value in `context` (through own properties); undefined when the whole path has one or cannot be known. */
function absentPrefix(context: Record<string, unknown>, path: readonly string[]): string[] | undefined {
  let value: unknown = context;
  for (let index = 0; index < path.length; index += 1) {
    // A list's `size`, `first` or index is the engine's to read: not a field an answer lacks.
    if (Array.isArray(value)) return undefined;
    const segment = path[index] as string;
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment) || (value as Record<string, unknown>)[segment] === undefined) {
      return path.slice(0, index + 1);
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return undefined;
}
