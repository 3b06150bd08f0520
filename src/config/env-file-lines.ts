/**
 * dotenv's `LINE` (dotenv 18, lib `parse`): each match is one assignment, a quoted value possibly
 * spanning lines. dotenv skips whatever no match covers, without a word; this finds it.
 */
const DOTENV_LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/**
 * A name alone (`DEBUG`, `export DEBUG`): Docker's env files mean "take it from the environment",
 * dotenv leaves it unset. Either way nothing is lost, so it is no mistake.
 */
const NAME_ALONE = /^\s*(?:export\s+)?[\w.-]+\s*$/;

/** A variable's name (capitals, as they are written) followed by a space and more (`OPENAI_API_KEY sk-...`): the `=` left out. */
const NAME_THEN_VALUE = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_.-]*)\s+\S/;

/** A line of a `.env` that dotenv does not read, and where it starts. */
export interface UnreadEnvLine {
  /** 1-based. */
  line: number;
  /** 1-based, in characters: the line's first one that is not a space. */
  column: number;
  /** The variable it seems to set, when it starts with a name (never its value: it may be a secret). */
  name?: string;
}

/**
 * The first line dotenv skips in `text`: not blank, no `#` comment, no name alone, and in no
 * assignment (a quoted value of several lines included). Undefined when dotenv reads every line.
 */
export function firstUnreadLine(text: string): UnreadEnvLine | undefined {
  // dotenv reads `\r\n` and `\r` as `\n` first.
  const source = text.replace(/\r\n?/g, '\n');
  const read: Array<[number, number]> = [];
  for (const match of source.matchAll(DOTENV_LINE)) {
    if (match[0].length > 0) read.push([match.index, match.index + match[0].length]);
  }
  let start = 0;
  let span = 0;
  for (const [index, line] of source.split('\n').entries()) {
    const end = start + line.length;
    while (span < read.length && (read[span] as [number, number])[1] <= start) span += 1;
    const covered = span < read.length && (read[span] as [number, number])[0] <= start + leadingSpaces(line) && (read[span] as [number, number])[1] >= end;
    const content = line.trim();
    if (!covered && content !== '' && !content.startsWith('#') && !NAME_ALONE.test(line)) {
      const name = NAME_THEN_VALUE.exec(line)?.[1];
      return { line: index + 1, column: [...line.slice(0, leadingSpaces(line))].length + 1, ...(name === undefined ? {} : { name }) };
    }
    start = end + 1;
  }
  return undefined;
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}
