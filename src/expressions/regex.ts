import { RE2JS } from 're2js';

/**
 * Regular expressions in SOPs (gate `matches`, CEL `matches()`) use RE2 syntax and a linear-time
 * engine (`re2js`): no pattern can backtrack for minutes on a short answer (`(a+)+Z`), and CEL's
 * own specification defines `matches` as RE2. Backreferences and lookaround do not exist in RE2.
 */
const compiled = new Map<string, RE2JS>();
/** Patterns kept compiled; SOPs have few, a CEL pattern built from data could have many. */
const MAX_CACHED = 256;

function compile(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = RE2JS.compile(pattern);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Whether `pattern` (RE2, unanchored) matches somewhere in `text`. Throws with the reason when it does not compile. */
export function regexMatches(text: string, pattern: string): boolean {
  return compile(pattern).matcher(text).find();
}

/** Why `pattern` is not a valid RE2 expression, or undefined when it is. */
export function regexProblem(pattern: string): string | undefined {
  try {
    compile(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^error parsing regexp: /, '');
  }
}

/**
 * ajv's regular-expression engine (`code.regExp`): JSON Schema `pattern` and `patternProperties`
 * run in RE2 too, so a payload schema cannot hang the check of a model's output either. ECMAScript's
 * `\uXXXX` / `\u{X}` escapes are RE2's `\x{X}`; a pattern RE2 cannot read (lookaround,
 * backreferences) makes the schema fail to compile, which `sop validate` reports at the schema.
 */
export const re2ForJsonSchema = Object.assign(
  (pattern: string): { test: (text: string) => boolean; toString: () => string } => {
    const regex = compile(pattern.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g, (_, braced, plain) => `\\x{${braced ?? plain}}`));
    // ajv keys compiled patterns by toString(): it must differ per pattern.
    return { test: (text) => regex.matcher(text).find(), toString: () => `re2:${pattern}` };
  },
  { code: 're2js' },
);
