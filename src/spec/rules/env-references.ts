import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

const ENV_REFERENCE = /\$\{env:[^}]*\}?/;

/**
 * ENV_NOT_EXPANDED (warning): `${env:NAME}` outside `mcp_servers`, the only place it is read. Elsewhere
 * (a tool's `Authorization` header, a command's `env`) it would be used as written, so a token never arrives.
 */
export function envReferences(context: RuleContext): void {
  for (const [key, value] of Object.entries(context.document)) {
    if (key !== 'mcp_servers') visit(context, joinPointer('', key), value);
  }
}

function visit(context: RuleContext, pointer: string, value: unknown): void {
  if (typeof value === 'string') {
    const found = ENV_REFERENCE.exec(value)?.[0];
    if (found === undefined) return;
    context.sink.warning('ENV_NOT_EXPANDED', pointer, `\`${found}\` is not expanded here: it is used as written`, {
      expected: '`${env:NAME}` only in `mcp_servers` (`command`, `cwd`, `env`, `url`, `headers`)',
      hint: 'a secret a tool needs goes to an MCP server (its `env` or `headers`); other values can be inputs (`--input NAME=...`)',
    });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => visit(context, joinPointer(pointer, index), item));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) visit(context, joinPointer(pointer, key), item);
  }
}
