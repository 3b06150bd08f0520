import type { ErrorCode, SopError } from '../errors/index.js';

/**
 * What to fix before resuming a run that failed on its provider, when the error's own hint does not
 * say. Only these failures get a resume hint: `sop resume` re-reads the configuration (keys, base
 * URLs, timeouts) and continues from the last finished round, so once the provider is fixed or
 * back the run goes on; a strict script's miss likewise, once the script has the answer (it is read
 * anew). An action failure or a replay miss would fail the same way again: the SOP and the cassette
 * are fixed when the run starts.
 */
const FIX_FIRST: Partial<Record<ErrorCode, string>> = {
  PROVIDER_AUTH: "fix the provider's API key",
  PROVIDER_NOT_FOUND: "check the model name and the provider's base URL",
  PROVIDER_BAD_REQUEST: 'fix what the provider refused (its message above)',
  PROVIDER_RATE_LIMITED: "wait for the provider's rate limit to reset",
  PROVIDER_UNAVAILABLE: 'wait until the provider answers again',
  PROVIDER_TIMEOUT: "wait until the provider answers in time, or raise the provider's timeout",
  PROVIDER_REPLY_TOO_LARGE: "bound the model's replies with `max_tokens`",
  PROVIDER_FAILED: 'fix the provider',
  // `sop resume` reads the run's script anew: an answer added to it answers the call.
  SCRIPT_MISS: 'add an answer for the call to the script',
};

/**
 * How to continue a run that failed mid-way (report.json's `hint`); undefined when resuming cannot
 * fix it. `resume` the command that continues the run (`sop resume ID`, see `resumeCommand`).
 */
export function failureHint(resume: string, error: SopError): string | undefined {
  const fix = FIX_FIRST[error.code];
  if (fix === undefined) return undefined;
  // The fix changes the script, which `sop resume` compares as it compares the SOP's files.
  const command = error.code === 'SCRIPT_MISS' ? `${resume} --allow-changed-sop` : resume;
  return `${error.hint ?? fix}; then continue the run from its last finished round: ${command}`;
}
