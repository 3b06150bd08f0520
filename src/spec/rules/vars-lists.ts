import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';
import { literalEscape } from './artifact-paths.js';
import { PLACE_WORDS } from './variable-check.js';

/** `vars.NAME` or `vars.NAME[key]`: a list taken straight from the SOP's values, checkable now. */
const VARS_LOOKUP = /^\s*vars\s*\.\s*([a-z][a-z0-9_]*)\s*(\[[^\]]*\])?\s*$/;

/**
 * EXPRESSION_TYPE: a command or a `reads` list written as a lookup in `vars`
 * (`vars.test_command[payload.language]`, `vars.sources`) must find a list of strings there, for
 * every key it could pick; otherwise the run would fail at the first call that picks a bad entry.
 * The expression parses: what is wrong is the kind of value it can give (a text where an argv goes),
 * which is what EXPRESSION_TYPE says (as for a `foreach` that is no list). It was EXPRESSION_SYNTAX,
 * which is for CEL that does not parse and sent the user looking for a typo in the expression. No
 * code of its own: a wrong kind of value for its place is one kind of finding, whichever field it is.
 */
export function varsLists(context: RuleContext): void {
  const { vars } = context.sop;
  for (const site of context.expressions()) {
    if (site.place !== 'command-argv' && site.place !== 'gate-argv' && site.place !== 'reads-each') continue;
    const match = VARS_LOOKUP.exec(site.expression.source);
    if (!match || !Object.hasOwn(vars, match[1]!)) continue; // an undeclared var is expression-variables' error
    const name = match[1]!;
    const value = vars[name];
    // Without a key the value itself is the list; with one, every entry of the table could be picked.
    const picked: Array<[pointer: string, path: string, entry: unknown]> =
      match[2] !== undefined && value !== null && typeof value === 'object'
        ? Object.entries(value).map(([key, entry]) => [joinPointer('/vars', name, key), `vars.${name}${Array.isArray(value) ? `[${key}]` : `.${key}`}`, entry])
        : [[joinPointer('/vars', name), `vars.${name}`, value]];
    for (const [pointer, path, entry] of picked) {
      if (Array.isArray(entry) && entry.every((element) => typeof element === 'string') && (site.place === 'reads-each' || entry.length > 0)) {
        if (site.place === 'reads-each') escapingPaths(context, pointer, path, entry as string[]);
        continue;
      }
      const words = site.place === 'reads-each' ? 'a list of paths' : 'an argv (a list of strings, the program first)';
      const user = `${PLACE_WORDS[site.place] ?? site.place} uses it: \`${site.expression.source}\` at ${site.expression.origin.file}:${site.expression.origin.line + site.expression.origin.lineOffset}`;
      context.sink.error('EXPRESSION_TYPE', pointer, `\`${path}\` is ${JSON.stringify(entry)}, not ${words} (${user})`, {
        expected: words,
        hint: site.place === 'reads-each' ? `write \`${path}\` as a YAML list: [docs/a.md, docs/b.md]` : `write \`${path}\` as a YAML list: [program, arg, ...]`,
      });
    }
  }
}

/** ARTIFACT_PATH_ESCAPE: a path of a `vars` list that `reads` reads, absolute or climbing out of the workspace. */
function escapingPaths(context: RuleContext, pointer: string, path: string, paths: readonly string[]): void {
  paths.forEach((entry, index) => {
    const problem = literalEscape(entry);
    if (!problem) return;
    context.sink.error('ARTIFACT_PATH_ESCAPE', joinPointer(pointer, index), `\`${path}[${index}]\` (\`${entry}\`), read by \`reads: { each }\`, ${problem}`, {
      expected: 'a path relative to the workspace, staying inside it (e.g. `docs/prd.md`)',
      hint: 'actions read inside the workspace (`--workspace`); remove the leading `/` or the `..` segments, or copy the file in with a `type: file` input',
    });
  });
}
