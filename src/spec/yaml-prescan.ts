import type { CST } from 'yaml';
import { withThousands } from '../errors/index.js';
import { LIMITS } from './limits.js';

/** A bound crossed at `offset` (0-based, into the text). */
export interface PrescanProblem {
  offset: number;
  message: string;
  hint: string;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const COMMA = 44;

/**
 * One pass over the raw text before the YAML parser runs: the parser spends hundreds of bytes per
 * value, so a 1 MB flow list (`x: [1,1,...]`) took 4 s and 583 MB and a 20 MB one passed 4 GB.
 * Counts every line holding text and every comma, wherever they are (in quotes, comments and
 * block text too): an upper bound of the values the parser would build, which no quoting trick
 * can lower. Stops at the first value over the bound. Allocates nothing.
 */
export function prescanYaml(text: string): PrescanProblem | undefined {
  let values = 0;
  let lineHasText = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === NEWLINE) {
      if (lineHasText) values += 1;
      lineHasText = false;
    } else if (code === COMMA) {
      values += 1;
      lineHasText = true;
    } else if (code !== SPACE && code !== TAB && code !== CARRIAGE_RETURN) {
      lineHasText = true;
      continue;
    } else continue;
    if (values > LIMITS.yamlValues) {
      return {
        offset: index,
        message: `the YAML holds more than ${withThousands(LIMITS.yamlValues)} values (a generated or pasted data dump?)`,
        hint: 'an SOP describes a team; keep data in files the actions `reads`, or split the SOP',
      };
    }
  }
  return undefined;
}

/**
 * The double-quoted scalar at which the file's double-quoted text passes its bound, found in the
 * parser's token tree before values are built: the `yaml` package builds a double-quoted value a
 * character at a time (a 20 MB string took 772 MB), other scalars are cheap slices.
 */
export function overlongDoubleQuoted(tokens: readonly CST.Token[]): PrescanProblem | undefined {
  let total = 0;
  const pending: unknown[] = [...tokens];
  while (pending.length > 0) {
    const token = pending.pop() as Record<string, unknown> | undefined;
    if (!token || typeof token !== 'object') continue;
    if (token['type'] === 'double-quoted-scalar') {
      total += (token['source'] as string).length;
      if (total > LIMITS.doubleQuotedChars) {
        return {
          offset: token['offset'] as number,
          message: `double-quoted text in this file passes ${Math.round(LIMITS.doubleQuotedChars / 1024 / 1024)} MB here`,
          hint: 'write long text as a block scalar (`prompt: |` then the text indented below), or in a file (`prompt: { file: prompts/x.md }`)',
        };
      }
      continue;
    }
    // Documents hold `value`; collections hold `items` of { key, sep, value }.
    if (token['value']) pending.push(token['value']);
    if (token['key']) pending.push(token['key']);
    if (Array.isArray(token['items'])) pending.push(...(token['items'] as unknown[]));
  }
  return undefined;
}
