/**
 * The run's hint (report.json's `hint`) of a failure `sop resume` can continue is the error's hint
 * with how to continue appended (`failureHint`): the error's is then left out, as CI logs,
 * annotations and step summaries gave the same advice twice.
 */
export function repeatsErrorHint(errorHint: string | undefined, runHint: string | undefined): boolean {
  return Boolean(errorHint && runHint?.startsWith(errorHint));
}

/** The hints of a run that ended badly, each given once: the error's, then the run's. */
export function outcomeHints(errorHint: string | undefined, runHint: string | undefined): string[] {
  const hints = repeatsErrorHint(errorHint, runHint) ? [runHint] : [errorHint, runHint];
  return hints.filter((hint): hint is string => Boolean(hint));
}
