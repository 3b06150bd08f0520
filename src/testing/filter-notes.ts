/**
 * `sop test --filter` selects the cases that run; every test file given is still checked whole (a
 * broken file is broken, and a CI job must not pass because its filter hid the mistake). A problem
 * in a case the filter leaves out then refuses the run although the user asked for another case:
 * its message names that case and the field, and says why it counts.
 */

import type { Diagnostic } from '../errors/index.js';
import { fromPointer } from '../spec/pointer.js';
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
    return { ...diagnostic, message: `${diagnostic.message} (${at}case "${name}", which --filter leaves out: a test file is checked whole)` };
  });
}

/** `['expect', 'messages', '0', 'where']` → `expect.messages[0].where`, as failures name expectations. */
function fieldPath(segments: string[]): string {
  return segments.map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}
