/**
 * `sop test --filter` selects the cases that run; every test file given is still checked whole (a
 * broken file is broken, and a CI job must not pass because its filter hid the mistake). A problem
 * in a case the filter leaves out then refuses the run although the user asked for another case:
 * its message names that case and the field, and says why it counts.
 */

import type { Diagnostic } from '../errors/index.js';
import { fromPointer } from '../spec/pointer.js';
import { closestMatch } from '../spec/suggest.js';
import { quotedName } from '../spec/text-encoding.js';
import type { BrokenTestFile } from './test-file.js';

export function namingCasesLeftOut(diagnostics: Diagnostic[], broken: readonly BrokenTestFile[], filter: string): Diagnostic[] {
  return diagnostics.map((diagnostic) => {
    const owner = broken.find((entry) => entry.file === diagnostic.file);
    // A file whose path the filter contains runs every case.
    if (!owner || owner.file.includes(filter)) return diagnostic;
    const [top, index, ...field] = fromPointer(diagnostic.pointer ?? '');
    if (top !== 'cases' || index === undefined || !/^\d+$/.test(index)) return diagnostic;
    const name = owner.caseNames[Number(index)];
    if (name === undefined || name.includes(filter)) return diagnostic;
    const at = field.length > 0 ? `\`${fieldPath(field)}\` of ` : '';
    return { ...diagnostic, message: `${diagnostic.message} (${at}case ${quotedName(name)}, which --filter leaves out: a test file is checked whole)` };
  });
}

/** `['expect', 'messages', '0', 'where']` → `expect.messages[0].where`, as failures name expectations. */
function fieldPath(segments: string[]): string {
  return segments.map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

/**
 * The text of the case names nearest a `--filter` that matched nothing (`approved` for `aproved`),
 * with as many words as it has: a filter is a part of a name, so it is matched against the runs of
 * words of each name, not the whole name. Undefined when none is close.
 */
export function nearFilter(filter: string, caseNames: readonly string[]): string | undefined {
  const count = filter.trim().split(/\s+/).length;
  const runs = caseNames.flatMap((name) => {
    const words = name.split(/\s+/).map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter((word) => word !== '');
    return words.slice(0, Math.max(0, words.length - count + 1)).map((_, index) => words.slice(index, index + count).join(' '));
  });
  return closestMatch(filter.trim(), runs);
}
