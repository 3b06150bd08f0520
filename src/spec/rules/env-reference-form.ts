import type { RuleContext } from './rule-context.js';

/** `${env:...}` up to its `}` (group 2 is empty when the reference is never closed). */
const ENV_REFERENCE = /\$\{env:([^}]*)(\}?)/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * SCHEMA_PATTERN for a `${env:NAME}` the run could not read (no closing `}`, a NAME with other
 * characters): it would be sent as written. Values are read when the run starts, never here.
 */
export function checkEnvReferenceForm(context: RuleContext, pointer: string, value: string): void {
  for (const match of value.matchAll(ENV_REFERENCE)) {
    if (match[2] && ENV_NAME.test(match[1] ?? '')) continue;
    context.sink.error('SCHEMA_PATTERN', pointer, `\`${match[0]}\` is not a valid environment reference${match[2] ? '' : ' (no closing `}`)'}`, {
      expected: '`${env:NAME}` with NAME made of letters, digits and underscores',
      hint: 'e.g. `${env:GITHUB_TOKEN}`; the variable is read when the run starts',
    });
  }
}
