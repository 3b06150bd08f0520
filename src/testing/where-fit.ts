/**
 * A message expectation's `where` that reads a payload field its message type's schema does not
 * allow (`payload.sevrity` for `severity`, the schema closed). Such a `where` fails on every message
 * ("No such key") whatever the run does, so the case could only fail, after its run: each is
 * located in the `where`, with the fields declared there and the nearest, before any case runs, as
 * `sop validate` refuses the same read in an SOP's gate or condition (EXPRESSION_VARIABLE_UNKNOWN).
 */

import { isSopError, type Diagnostic } from '../errors/index.js';
import { compileExpression } from '../expressions/index.js';
import { joinPointer } from '../spec/pointer.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { governingSchemas, unknownPayloadField } from '../spec/rules/payload-fields.js';
import { variablePosition } from '../spec/rules/rule-context.js';
import { unknownField } from '../spec/schema-fields.js';
import type { TestCase, TestFile } from './test-file.js';

export function wheresThatMissTheSop(file: TestFile, sop: ResolvedSop, cases: readonly TestCase[] = file.cases): Diagnostic[] {
  const schemas = governingSchemas(sop);
  const diagnostics: Diagnostic[] = [];
  for (const entry of cases) {
    // A skipped case does not run, as input-fit.ts leaves it.
    if (entry.skip !== undefined) continue;
    entry.expect.messages?.forEach((expectation, index) => {
      const schema = schemas.get(expectation.type);
      if (expectation.where === undefined || schema === undefined) return;
      const pointer = joinPointer('/cases', entry.index, 'expect', 'messages', index, 'where');
      const text = { source: expectation.where, origin: file.origin(pointer) };
      let variables: string[][];
      try {
        variables = compileExpression(text).variables();
      } catch (error) {
        // A `where` that does not compile is reported as such by the test file's own checks.
        if (isSopError(error)) return;
        throw error;
      }
      const reported = new Set<string>();
      for (const path of variables) {
        const prefix = path[0] === 'payload' ? 1 : path[0] === 'message' && path[1] === 'payload' ? 2 : undefined;
        if (prefix === undefined) continue;
        const problem = unknownField([schema], path.slice(prefix));
        if (!problem) continue;
        const written = path.slice(0, prefix + problem.index + 1);
        const key = written.join('.');
        if (reported.has(key)) continue;
        reported.add(key);
        const { file: shown, line, column } = variablePosition(text, written);
        diagnostics.push({ code: 'EXPRESSION_VARIABLE_UNKNOWN', severity: 'error', file: shown, line, column, pointer, ...unknownPayloadField(key, [expectation.type], problem) });
      }
    });
  }
  return diagnostics;
}
