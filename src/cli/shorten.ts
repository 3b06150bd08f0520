import { printableText, textStart } from '../spec/text-encoding.js';

/**
 * A value on one line of at most 200 characters: an artifact's whole text would bury the failure it
 * is quoted in. An empty value says so: `actual:` followed by nothing reads as a missing line. A
 * model's text is printable (escape sequences removed, NUL and other controls U+FFFD): it reaches
 * the terminal.
 */
export function shorten(text: string): string {
  const line = printableText(text).replace(/\s+/g, ' ').trim();
  if (line === '') return text === '' ? '(empty)' : '(whitespace only)';
  return line.length > 200 ? `${textStart(line, 197)}...` : line;
}
