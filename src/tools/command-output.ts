import { capEnds, capOutput } from './output-cap.js';
import type { CommandResult, StreamEnds } from './run-command.js';
import type { MaskParts, ToolResult } from './types.js';

/** Share of the cap stderr may take when both streams are too long (stdout usually matters more). */
const STDERR_SHARE = 0.4;

/**
 * A finished process as the model sees it (the `shell` tool and declared command tools alike):
 * `exit code N`, then stdout and stderr, each keeping its head and tail within the output cap;
 * a non-zero exit or a timeout is an error result.
 */
export function commandToolResult(result: CommandResult, timeoutSeconds: number, maxOutputBytes: number, mask?: MaskParts): ToolResult {
  const header = `exit code ${result.exitCode}${result.timedOut ? ` (stopped after the ${timeoutSeconds} s timeout)` : ''}`;
  const [stdout, stderr] = fitStreams(result, maxOutputBytes - Buffer.byteLength(header) - 40, mask);
  const sections = [header];
  if (stdout.trim() !== '') sections.push(`--- stdout ---\n${stdout.trimEnd()}`);
  if (stderr.trim() !== '') sections.push(`--- stderr ---\n${stderr.trimEnd()}`);
  return {
    content: capOutput(sections.join('\n'), maxOutputBytes),
    isError: result.exitCode !== 0 || result.timedOut,
    detail: { exitCode: result.exitCode, timedOut: result.timedOut },
  };
}

/** How much of each stream `runCommand` keeps for a tool: both ends, each up to the cap. */
export function streamLimits(maxOutputBytes: number): { headBytes: number; tailBytes: number } {
  return { headBytes: maxOutputBytes, tailBytes: maxOutputBytes };
}

/** stdout and stderr within `budget` bytes together, each cut in its middle with an exact count. */
function fitStreams(result: CommandResult, budget: number, mask: MaskParts | undefined): [string, string] {
  if (!result.ends) return [result.stdout, result.stderr];
  const { stdout, stderr } = result.ends;
  const room = Math.max(0, budget);
  const stderrBudget = Math.min(stderr.totalBytes, Math.max(Math.floor(room * STDERR_SHARE), room - stdout.totalBytes));
  // The timeout note runCommand appends to stderr is kept whole.
  const note = result.stderr.match(/\[sop\] killed after[^\n]*\n?$/)?.[0] ?? '';
  return [fit(stdout, room - stderrBudget, mask), [fit(stderr, stderrBudget, mask).trimEnd(), note].filter((part) => part !== '').join('\n')];
}

/** A stream within `budget`; one cut is masked first (its ends hold more than is shown), a whole one is masked by the run. */
function fit(stream: StreamEnds, budget: number, mask: MaskParts | undefined): string {
  if (stream.totalBytes <= budget) return Buffer.concat([stream.head, stream.tail]).toString('utf8');
  return capEnds(stream.head, stream.tail, stream.totalBytes, budget, mask);
}
