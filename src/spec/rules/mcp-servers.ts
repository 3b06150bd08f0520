import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

const ENV_REFERENCE = /\$\{env:([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An MCP server has exactly one of `command` (stdio) and `url` (HTTP); `cwd` and `env` belong to
 * stdio servers, `headers` to HTTP ones; `${env:NAME}` references are well-formed (their values
 * are read when the run starts, never by `sop validate`).
 */
export function mcpServers(context: RuleContext): void {
  for (const [name, server] of Object.entries(context.document.mcp_servers ?? {})) {
    const pointer = joinPointer('/mcp_servers', name);
    const stdio = server.command !== undefined;
    if (stdio === (server.url !== undefined)) {
      context.sink.error(stdio ? 'SCHEMA_VIOLATION' : 'SCHEMA_MISSING_FIELD', stdio ? joinPointer(pointer, 'url') : pointer, `MCP server \`${name}\` needs exactly one of \`command\` and \`url\``, {
        ...(stdio ? { at: 'key' as const } : {}),
        expected: '`command: [program, args...]` (stdio) or `url: http://host/mcp` (streamable HTTP)',
      });
    }
    const misplaced: Array<[keyof typeof server, boolean]> = [
      ['cwd', !stdio],
      ['env', !stdio],
      ['headers', stdio],
    ];
    for (const [field, wrong] of misplaced) {
      if (!wrong || server[field] === undefined) continue;
      context.sink.error('SCHEMA_VIOLATION', joinPointer(pointer, field), `\`${field}\` applies to ${field === 'headers' ? 'HTTP (`url`)' : 'stdio (`command`)'} servers only`, { at: 'key' });
    }
    for (const field of ['env', 'headers'] as const) {
      for (const [key, value] of Object.entries(server[field] ?? {})) {
        for (const match of value.matchAll(ENV_REFERENCE)) {
          if (ENV_NAME.test(match[1] ?? '')) continue;
          context.sink.error('SCHEMA_PATTERN', joinPointer(pointer, field, key), `\`${match[0]}\` is not a valid environment reference`, {
            expected: '`${env:NAME}` with NAME made of letters, digits and underscores',
          });
        }
      }
    }
  }
}
