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
