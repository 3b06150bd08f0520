/**
 * True for JavaScript's "Maximum call stack size exceeded": input nested deeper than a recursive
 * parser or checker can follow. Callers turn it into a located "nests too deeply" finding; it must
 * never reach a user as is.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
