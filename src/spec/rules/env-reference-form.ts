import type { RuleContext } from './rule-context.js';

/** `${env:...}` up to its `}` (group 2 is empty when the reference is never closed). */
const ENV_REFERENCE = /\$\{env:([^}]*)(\}?)/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A shell's `${NAME}` or `$NAME` (upper case, as variables are named): no shell reads these fields, so they would be sent as written. */
const SHELL_VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)\b/g;

/**
 * SCHEMA_PATTERN for a `${env:NAME}` the run could not read (no closing `}`, a NAME with other
 * characters): it would be sent as written. ENV_NOT_EXPANDED (warning) for a shell's `${NAME}` or
 * `$NAME` (unless `shellSyntax` is false: an argument of a shell, which reads it): sop starts no
 * shell, so the server or the request got the text itself (a token that never arrived, with nothing
 * said). Values are read when the run starts, never here.
 */
export function checkEnvReferenceForm(context: RuleContext, pointer: string, value: string, options: { shellSyntax?: boolean } = {}): void {
  for (const match of value.matchAll(ENV_REFERENCE)) {
    if (match[2] && ENV_NAME.test(match[1] ?? '')) continue;
    context.sink.error('SCHEMA_PATTERN', pointer, `\`${match[0]}\` is not a valid environment reference${match[2] ? '' : ' (no closing `}`)'}`, {
      expected: '`${env:NAME}` with NAME made of letters, digits and underscores',
      hint: 'e.g. `${env:GITHUB_TOKEN}`; the variable is read when the run starts',
    });
  }
  if (options.shellSyntax === false) return;
  for (const match of value.matchAll(SHELL_VARIABLE)) {
    const name = match[1] ?? match[2];
    context.sink.warning('ENV_NOT_EXPANDED', pointer, `\`${match[0]}\` is sent as written: sop reads an environment variable only as \`\${env:${name}}\``, {
      expected: '`${env:NAME}`',
      hint: `write \`\${env:${name}}\` (read when the run starts; no shell starts the server or sends the request, so \`$${name}\` and \`\${${name}}\` are not read)`,
    });
  }
}
