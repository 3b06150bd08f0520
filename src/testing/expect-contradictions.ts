/**
 * Expectations that can never pass, or fields of one that are never checked, whatever the run does:
 * bounds the wrong way round (`count: { min: 3, max: 1 }`), `exists: false` (an absent file fails it
 * as "not written"), content checks on a file expected absent, `usage.calls` above
 * `usage.max_calls`, an `error` no run ends with. Found when a test file or an eval dataset is read,
 * and reported at the field's value, as `sop validate` reports an SOP's.
 */

import { CODES } from '../errors/index.js';
import type { DiagnosticSink } from '../spec/diagnostic-sink.js';
import { joinPointer } from '../spec/pointer.js';
import { didYouMean } from '../spec/suggest.js';
import type { Count, Expectations } from './sop-test.types.generated.js';

/** Content checks of an artifact entry: each implies the file exists. */
const CONTENT_CHECKS = ['exists', 'contains', 'matches', 'where', 'golden'] as const;

export function checkContradictions(expect: Expectations | undefined, at: string, sink: DiagnosticSink): void {
  if (!expect) return;
  if (expect.error !== undefined && !Object.hasOwn(CODES, expect.error)) {
    const nearest = didYouMean(expect.error, Object.keys(CODES));
    sink.error('SCHEMA_ENUM', joinPointer(at, 'error'), `no run ends with error ${expect.error}, so \`error\` can never pass${nearest ? ` (${nearest})` : ''}`, {
      expected: 'an error code of `sop` (COMMAND_FAILED, SCRIPT_MISS, OUTPUT_INVALID, ...)',
      hint: 'copy the code a failed run prints after `error` (`sop run ... --json`: `error.code`)',
    });
  }
  expect.messages?.forEach((entry, index) => countBounds(entry.count, joinPointer(at, 'messages', index, 'count'), sink));
  expect.gates?.forEach((entry, index) => countBounds(entry.revisions, joinPointer(at, 'gates', index, 'revisions'), sink));
  expect.artifacts?.forEach((entry, index) => {
    const pointer = joinPointer(at, 'artifacts', index);
    if (entry.absent === true) {
      for (const check of CONTENT_CHECKS) {
        if (entry[check] === undefined) continue;
        sink.error('SCHEMA_VIOLATION', joinPointer(pointer, check), `\`${check}\` is never checked: this entry expects ${entry.path} absent (\`absent: true\`)`, {
          expected: 'either `absent: true`, or checks of the file\'s content',
          hint: 'remove one of them, or write two entries for two files',
        });
      }
    } else if (entry.exists === false) {
      sink.error('SCHEMA_VIOLATION', joinPointer(pointer, 'exists'), `\`exists: false\` can never pass: when ${entry.path} is absent it fails as not written`, {
        expected: '`exists: true` (or no `exists`: any check implies it), or `absent: true`',
        hint: 'to expect that the run did not write the file, write `absent: true`',
      });
    }
  });
  const usage = expect.usage;
  if (usage?.calls !== undefined && usage.max_calls !== undefined && usage.calls > usage.max_calls) {
    sink.error('SCHEMA_VIOLATION', joinPointer(at, 'usage', 'calls'), `\`calls: ${usage.calls}\` can never pass with \`max_calls: ${usage.max_calls}\``, {
      expected: `at most ${usage.max_calls} calls, the \`max_calls\` of the same \`usage\``,
      hint: 'keep one of them: `calls` is exact, `max_calls` a bound',
    });
  }
}

/** `{ min: 3, max: 1 }` holds for no count: located at `min`. */
function countBounds(count: Count | undefined, pointer: string, sink: DiagnosticSink): void {
  if (count === undefined || typeof count === 'number' || count.min === undefined || count.max === undefined || count.min <= count.max) return;
  sink.error('SCHEMA_VIOLATION', joinPointer(pointer, 'min'), `\`min: ${count.min}\` is above \`max: ${count.max}\`: no count is both, so this can never pass`, {
    expected: '`min` at most `max`',
    hint: 'swap them, or give the exact number',
  });
}
