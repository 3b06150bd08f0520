/**
 * Dataset cases that name a role, action, message type or gate the SOP does not have (in `expect`,
 * or a judge rubric's `of`): such a check holds or fails whatever the run does, so a typo would
 * hide a broken branch or fail every run. Each is named once, with the cases it is in.
 */

import type { ResolvedSop } from '../spec/resolved.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import { expectationsThatMissTheSop } from '../testing/expect-fit.js';
import type { EvalDataset } from './dataset.js';
import { judgesAFile } from './judge.js';

/** `FILE:LINE:COL: what (cases: a, b)`, one line per distinct problem, at the field that names it. */
export function casesThatMissTheSop(dataset: EvalDataset, sop: ResolvedSop): string[] {
  const problems = new Map<string, { place: string; cases: string[] }>();
  const note = (problem: string, place: string, name: string): void => {
    const seen = problems.get(problem) ?? { place, cases: [] };
    seen.cases.push(name);
    problems.set(problem, seen);
  };
  const types = Object.keys(sop.messages);
  dataset.cases.forEach((entry, caseIndex) => {
    for (const { path, pointer, why } of expectationsThatMissTheSop(entry.expect, sop)) {
      note(`${path} can match nothing: ${why}`, dataset.locate(caseIndex, pointer), entry.name);
    }
    entry.judge.forEach((rubric, index) => {
      if (judgesAFile(rubric.of) || types.includes(rubric.of)) return;
      note(`judge[${index}] can judge nothing: the SOP has no message type \`${rubric.of}\` (${didYouMean(rubric.of, types) ?? `it has: ${listNames(types)}`})`, dataset.locate(caseIndex, `/judge/${index}/of`), entry.name);
    });
  });
  return [...problems].map(([problem, { place, cases }]) => `${place}: ${problem} (case${cases.length === 1 ? '' : 's'}: ${cases.join(', ')})`);
}
