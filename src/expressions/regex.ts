import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

const require = createRequire(import.meta.url);

/**
 * Regular expressions in SOPs (gate `matches`, CEL `matches()`) use RE2 syntax and a linear-time
 * engine (`re2js`): no pattern can backtrack for minutes on a short answer (`(a+)+Z`), and CEL's
 * own specification defines `matches` as RE2. Backreferences and lookaround do not exist in RE2.
 */
// Module-level on purpose: a compiled pattern depends only on its text (docs/design.md, "Shared state").
const compiled = new Map<string, RE2JS>();
/** Patterns kept compiled; SOPs have few, a CEL pattern built from data could have many. */
const MAX_CACHED = 256;

/** re2js (300 KB) is loaded by the first pattern: most runs and validations have none. */
let engine: typeof RE2JS | undefined;

function compile(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    engine ??= (require('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
    regex = engine.compile(pattern);
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
 * run in RE2 when RE2 can read them, so a payload schema's `(a+)+$` cannot hang the check of a
 * model's output. JSON Schema patterns are ECMAScript, and schemas in the wild use lookaround and
 * backreferences, which RE2 lacks: those few run in JavaScript's own engine rather than being
 * refused. ECMAScript's `\uXXXX` / `\u{X}` escapes are RE2's `\x{X}`. A pattern that JavaScript
 * reads gets its RE2 matcher on its first check, not when the schema compiles: RE2's first
 * pattern loads its Unicode tables (~15 ms), which `sop validate` never needs.
 */
export const jsonSchemaRegExp = Object.assign(
  (pattern: string, flags: string): { test: (text: string) => boolean; toString: () => string } => {
    let native: RegExp | undefined;
    let nativeError: unknown;
    try {
      native = new RegExp(pattern, flags);
    } catch (error) {
      nativeError = error;
    }
    let matches = native ? undefined : re2Matcher(pattern);
    // Neither engine reads it: the schema does not compile, with JavaScript's reason.
    if (!native && !matches) throw nativeError;
    // ajv keys compiled patterns by toString(): it must differ per pattern.
    return { test: (text) => (matches ??= re2Matcher(pattern) ?? ((value) => native!.test(value)))(text), toString: () => `/${pattern}/${flags}` };
  },
  { code: 're2js' },
);

/** `pattern` as an RE2 matcher, or undefined when RE2 cannot read it. */
function re2Matcher(pattern: string): ((text: string) => boolean) | undefined {
  try {
    const re2 = compile(pattern.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g, (_, braced, plain) => `\\x{${braced ?? plain}}`));
    return (text) => re2.matcher(text).find();
  } catch {
    return undefined;
  }
}
