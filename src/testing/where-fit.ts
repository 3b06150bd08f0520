/**
 * A message expectation's `where` that reads a payload field its message type's schema does not
 * allow (`payload.sevrity` for `severity`, the schema closed). Such a `where` fails on every message
 * ("No such key") whatever the run does, so the case could only fail, after its run: each is
 * located in the `where`, with the fields declared there and the nearest, before any case runs, as
 * `sop validate` refuses the same read in an SOP's gate or condition (EXPRESSION_VARIABLE_UNKNOWN).
 */

import { isSopError, type Diagnostic } from '../errors/index.js';
import { compileExpression, type CompiledExpression } from '../expressions/index.js';
import { joinPointer } from '../spec/pointer.js';
import type { ExpressionText, ResolvedSop } from '../spec/resolved.js';
import { valueNotInEnum } from '../spec/rules/enum-comparisons.js';
import { governingSchemas, unknownPayloadField } from '../spec/rules/payload-fields.js';
import { positionAt, variablePosition } from '../spec/rules/rule-context.js';
import { declaredValues, unknownField } from '../spec/schema-fields.js';
import type { TestCase, TestFile } from './test-file.js';

export function wheresThatMissTheSop(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { text, pointer, compiled, type, schema } of payloadWheres(file, sop, cases)) {
    const reported = new Set<string>();
    for (const path of compiled.variables()) {
      const prefix = payloadPrefix(path);
      if (prefix === undefined) continue;
      const problem = unknownField([schema], path.slice(prefix));
      if (!problem) continue;
      const written = path.slice(0, prefix + problem.index + 1);
      const key = written.join('.');
      if (reported.has(key)) continue;
      reported.add(key);
      const { file: shown, line, column } = variablePosition(text, written);
      diagnostics.push({ code: 'EXPRESSION_VARIABLE_UNKNOWN', severity: 'error', file: shown, line, column, pointer, ...unknownPayloadField(key, [type], problem) });
    }
  }
  return diagnostics;
}

/**
 * A message expectation's `where` comparing a payload field with a value its schema's `enum` does
 * not list (`payload.severity == 'sev3'` where it is `[sev1, sev2]`): such a `where` never matches
 * (with `!=`, always), whatever the run does. A warning, as `sop validate` warns of the same
 * comparison in an SOP's condition (EXPRESSION_VALUE_NOT_IN_ENUM): `sop test` says it before its
 * results and runs the case.
 */
export function whereValuesOutsideEnums(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const { text, pointer, compiled, type, schema } of payloadWheres(file, sop, cases)) {
    for (const comparison of compiled.valueComparisons()) {
      const prefix = payloadPrefix(comparison.path);
      if (prefix === undefined) continue;
      const fields = comparison.path.slice(prefix);
      const written = text.source.slice(comparison.literalStart, comparison.literalEnd);
      const problem = valueNotInEnum(comparison, written, [type], declaredValues([schema], fields), fields);
      if (!problem) continue;
      const { file: shown, line, column } = positionAt(text, comparison.literalStart);
      diagnostics.push({ code: 'EXPRESSION_VALUE_NOT_IN_ENUM', severity: 'warning', file: shown, line, column, pointer, ...problem });
    }
  }
  return diagnostics;
}

/** How many segments of a path lead to the payload: `payload.x` 1, `message.payload.x` 2. */
function payloadPrefix(path: readonly string[]): number | undefined {
  return path[0] === 'payload' ? 1 : path[0] === 'message' && path[1] === 'payload' ? 2 : undefined;
}

/** A message expectation's `where`, compiled, with the message type and the schema governing its payload. */
interface PayloadWhere {
  text: ExpressionText;
  pointer: string;
  compiled: CompiledExpression;
  type: string;
  schema: Record<string, unknown>;
}

/** The compiled `where`s of the message expectations of the cases that run, whose type's payload a schema governs. */
function payloadWheres(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[]): PayloadWhere[] {
  const schemas = governingSchemas(sop);
  const found: PayloadWhere[] = [];
  for (const entry of cases) {
    // A skipped case does not run, as input-fit.ts leaves it.
    if (entry.skip !== undefined) continue;
    entry.expect.messages?.forEach((expectation, index) => {
      const schema = schemas.get(expectation.type);
      if (expectation.where === undefined || schema === undefined) return;
      const pointer = joinPointer('/cases', entry.index, 'expect', 'messages', index, 'where');
      const text = { source: expectation.where, origin: file.origin(pointer) };
      try {
        found.push({ text, pointer, compiled: compileExpression(text), type: expectation.type, schema });
      } catch (error) {
        // A `where` that does not compile is reported as such by the test file's own checks.
        if (!isSopError(error)) throw error;
      }
    });
  }
  return found;
}
