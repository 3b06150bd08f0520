import type { RuleContext } from './rule-context.js';
import { startOf } from './rule-context.js';

/** `item` or `index` read inside a template tag: what makes each item's path its own. */
const READS_ITEM = /\{[{%][^}%]*\b(item|index)\b[^}%]*[}%]\}/;

/**
 * ARTIFACT_PATH_CONSTANT (warning): an artifact with `foreach` whose path reads neither `item` nor
 * `index` writes every item to the same file, each overwriting the one before: only the last item
 * is left, and nothing says so. `mode: append` gathers the items into one file on purpose.
 */
export function artifactForeachPaths(context: RuleContext): void {
  for (const role of context.sop.roles) {
    for (const action of role.actions) {
      for (const artifact of action.artifacts) {
        if (!artifact.foreach || artifact.mode === 'append' || READS_ITEM.test(artifact.path.text)) continue;
        const at = startOf(artifact.path);
        context.sink.warning('ARTIFACT_PATH_CONSTANT', at.pointer, `artifact \`${artifact.path.text}\` has \`foreach\` but its path is the same for every item: each item overwrites the one before, only the last is kept`, {
          position: { line: at.line, column: at.column },
          expected: 'a path that reads `item` (or `index`), e.g. `notes/{{ item.slug }}.md`',
          hint: 'name each file after its item, or add `mode: append` to gather every item in this one file',
        });
      }
    }
  }
}
