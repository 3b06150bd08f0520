import { toPointer } from '../pointer.js';
import { checkEnvReferenceForm } from './env-reference-form.js';
import type { RuleContext } from './rule-context.js';

const ENV_REFERENCE = /\$\{env:[^}]*\}?/;

/** A declared HTTP tool's header value, where `${env:NAME}` is read when the run starts. */
const HTTP_TOOL_HEADER = /^\/tools\/[^/]+\/http\/headers\/[^/]+$/;

/**
 * ENV_NOT_EXPANDED (warning): `${env:NAME}` outside `mcp_servers` and declared HTTP tools' `headers`,
 * the places it is read. Elsewhere (a command's `env`, a prompt) it would be used as written, so a
 * token never arrives. In a tool's header it must be well-formed (SCHEMA_PATTERN).
 */
export function envReferences(context: RuleContext): void {
  for (const [key, value] of Object.entries(context.document)) {
    if (key !== 'mcp_servers') visit(context, [key], value);
  }
}

/** `path` is the value's place as segments: its pointer is built only where one is needed (every string of the SOP is visited). */
function visit(context: RuleContext, path: Array<string | number>, value: unknown): void {
  if (typeof value === 'string') {
    const pointer = path[0] === 'tools' ? toPointer(path) : undefined;
    if (pointer !== undefined && HTTP_TOOL_HEADER.test(pointer)) {
      checkEnvReferenceForm(context, pointer, value);
      return;
    }
    const found = ENV_REFERENCE.exec(value)?.[0];
    if (found === undefined) return;
    context.sink.warning('ENV_NOT_EXPANDED', pointer ?? toPointer(path), `\`${found}\` is not expanded here: it is used as written`, {
      expected: '`${env:NAME}` only in `mcp_servers` (`command`, `cwd`, `env`, `url`, `headers`) and in a declared HTTP tool\'s `headers`',
      hint: 'a secret a tool needs goes to a declared HTTP tool\'s `headers` or an MCP server (its `env` or `headers`); other values can be inputs (`--input NAME=...`)',
    });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => visit(context, [...path, index], item));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) visit(context, [...path, key], item);
  }
}
