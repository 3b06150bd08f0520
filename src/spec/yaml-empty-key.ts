import { plural, type Diagnostic } from '../errors/index.js';

/** A key or `-` of a block collection, where it is written. */
export interface AnchorAt {
  offset: number;
  label: string;
  line: number;
  column: number;
}

/** The line a parser error is about: its first token, where it is. */
interface MisplacedLine {
  label: string;
  line: number;
  column: number;
}

/**
 * `output:` with nothing after it, `type: Edited` below it at its column, then `format: markdown`
 * deeper: the parser names `format` (lined up with nothing), but the slip is `type`, which was
 * meant inside `output` (empty as written). Moving `type` to `format`'s column makes both the keys
 * of `output`, and the file valid; moving `format` back, as the plain message asks, leaves `output`
 * empty. Undefined when the lines above `misplaced` are not so. `above`: the anchor right above the
 * misplaced line (`type`), `before`: the one before it (`output`).
 */
export function keyOutsideEmptyKey(
  text: string,
  misplaced: MisplacedLine,
  above: AnchorAt | undefined,
  before: AnchorAt | undefined,
  file: string,
): Diagnostic | undefined {
  if (!above || !before || misplaced.label.startsWith('-') || above.label === '-' || before.label === '-') return undefined;
  if (before.column !== above.column || misplaced.column <= above.column) return undefined;
  if (!valueIsEmpty(text, before.offset) || firstTokenOfNextLine(text, before.offset) !== above.offset) return undefined;
  const moves = misplaced.column - above.column;
  const spaces = plural(moves, 'space');
  return {
    code: 'YAML_SYNTAX', severity: 'error', file, line: above.line, column: above.column,
    message: `\`${above.label}\` at column ${above.column} is not inside \`${before.label}\` (line ${before.line}, its value empty), but \`${misplaced.label}\` below it is indented as if it were`,
    expected: `\`${above.label}\` at column ${misplaced.column}, as \`${misplaced.label}\` on line ${misplaced.line}: both keys of \`${before.label}\``,
    hint: `indent \`${above.label}:\` ${spaces} right, under \`${before.label}:\`, with any other line meant inside \`${before.label}\`; `
      + `or, if \`${before.label}\` is meant empty, move \`${misplaced.label}\` back to column ${above.column} (then \`${above.label}\` and \`${misplaced.label}\` are keys beside \`${before.label}\`)`,
  };
}

/** Whether the key at `offset` has nothing after its `:` on its line (a comment aside): its value is null, or on the lines below. */
function valueIsEmpty(text: string, offset: number): boolean {
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(offset, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, '');
  const afterColon = /:(?:\s|$)/.exec(line);
  if (!afterColon) return false;
  const rest = line.slice(afterColon.index + 1).trim();
  return rest === '' || rest.startsWith('#');
}

/** Offset of the first token on the lines after the one `offset` is on (blank lines and comments skipped); -1 when none. */
function firstTokenOfNextLine(text: string, offset: number): number {
  let lineEnd = text.indexOf('\n', offset);
  while (lineEnd !== -1) {
    const start = lineEnd + 1;
    lineEnd = text.indexOf('\n', start);
    const line = text.slice(start, lineEnd === -1 ? undefined : lineEnd);
    const token = line.search(/\S/);
    if (token !== -1 && line[token] !== '#') return start + token;
  }
  return -1;
}
