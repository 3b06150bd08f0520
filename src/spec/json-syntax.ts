import { createRequire } from 'node:module';
import type * as JsoncParser from 'jsonc-parser';

const require = createRequire(import.meta.url);

/**
 * Where text is not strict JSON and why, in words (`expected \`,\``, `unexpected \`bad\``):
 * JSON.parse's own ("Expected ',' or '}' after property value in JSON at position 8") read as a
 * parser's. `whole` names what a text holds one of, for text after it (`the case object`).
 */
export function jsonSyntaxProblem(text: string, whole: string): { message: string; offset: number } | undefined {
  // Loaded on first use, from node_modules (its UMD build is not bundled: scripts/bundle-cli.mjs).
  const { parse, printParseErrorCode } = require('jsonc-parser') as typeof JsoncParser;
  const errors: JsoncParser.ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return undefined;
  const found = text.slice(first.offset, first.offset + first.length);
  const message: Record<string, string> = {
    InvalidSymbol: `unexpected \`${found}\``,
    InvalidCommentToken: 'comments are not JSON',
    PropertyNameExpected: 'expected a double-quoted property name',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected `:`',
    CommaExpected: 'expected `,`',
    CloseBraceExpected: 'expected `}`',
    CloseBracketExpected: 'expected `]`',
    EndOfFileExpected: `unexpected text after ${whole}`,
    UnexpectedEndOfString: 'unterminated string',
  };
  const code = printParseErrorCode(first.error);
  return { message: message[code] ?? code, offset: first.offset };
}
