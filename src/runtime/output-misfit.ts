import { plural, SopError, type Diagnostic } from '../errors/index.js';

/**
 * A JSON answer that passed its schema but cannot be used as it is: it lacks a field that something
 * made from it reads (an artifact, the dynamic `to` it is addressed by). It is re-asked like an
 * answer that breaks its schema (see `produceModelOutput`), the model told `problem`; once no
 * attempt is left, the action fails with `OUTPUT_INVALID` where the field is read (`at`).
 */
export abstract class OutputMisfit extends SopError {
  constructor(
    /** What the model is told: the field, and what needs it. */
    readonly problem: string,
    message: string,
    at: Diagnostic,
    hint: string,
  ) {
    super('OUTPUT_INVALID', `${at.file}:${at.line}:${at.column}: ${message}`, {
      hint,
      diagnostics: [{ code: 'OUTPUT_INVALID', severity: 'error', message, file: at.file, line: at.line, column: at.column, pointer: at.pointer, hint }],
    });
  }

  /** The same failure once `attempts` answers all lacked the field. */
  abstract afterAttempts(attempts: number): OutputMisfit;
}

/** ` after 3 attempts`, or nothing for an output that was not asked for (a reviewer's edit). */
export function afterAttemptsText(attempts: number | undefined): string {
  return attempts === undefined ? '' : ` after ${plural(attempts, 'attempt')}`;
}

/** The schema change that makes the model give a field up front: require it (declaring a schema first, when the type has none). */
export function requireFieldFix(output: { type: string; hasSchema: boolean }, field: string, items: string | undefined): string {
  return output.hasSchema
    ? `list \`${field}\` under \`required\` in the schema of message type ${output.type}${items === undefined ? '' : `, in its items of \`${items}\``}`
    : `declare a \`schema\` for message type ${output.type} that lists \`${field}\` under \`required\``;
}
