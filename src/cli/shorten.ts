/** A value on one line of at most 200 characters: an artifact's whole text would bury the failure it is quoted in. */
export function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
