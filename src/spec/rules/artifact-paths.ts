import path from 'node:path';
import type { RuleContext } from './rule-context.js';
import { startOf } from './rule-context.js';

/** Template tags, which are only known at run time: replaced by a harmless placeholder segment. */
const TEMPLATE_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

/**
 * ARTIFACT_PATH_ESCAPE: an artifact path, a `reads` path or a `reads` glob whose literal parts are
 * absolute or climb out of the workspace is refused before anything runs (the runtime checks
 * rendered paths again, and would fail the action with WORKSPACE_ESCAPE).
 */
export function artifactPaths(context: RuleContext): void {
  for (const role of context.sop.roles) {
    for (const action of role.actions) {
      for (const read of action.reads) {
        const template = read.kind === 'path' ? read.path : read.kind === 'glob' ? read.pattern : undefined;
        // A glob is refused with `..` anywhere in it (the run does not normalise a pattern).
        const problem = template && (literalEscape(template.text) ?? (read.kind === 'glob' && /(^|[\\/])\.\.([\\/]|$)/.test(template.text) ? 'climbs with `..`' : undefined));
        if (!template || !problem) continue;
        const at = startOf(template);
        context.sink.error('ARTIFACT_PATH_ESCAPE', at.pointer, `${read.kind === 'glob' ? 'reads glob' : 'read path'} \`${template.text}\` ${problem}`, {
          position: { line: at.line, column: at.column },
          expected: 'a path relative to the workspace, staying inside it (e.g. `docs/prd.md`, `src/**/*.py`)',
          hint: 'actions read inside the workspace (`--workspace`); remove the leading `/` or the `..` segments, or copy the file in with a `type: file` input',
        });
      }
      for (const artifact of action.artifacts) {
        const problem = literalEscape(artifact.path.text);
        if (!problem) continue;
        const at = startOf(artifact.path);
        context.sink.error('ARTIFACT_PATH_ESCAPE', at.pointer, `artifact path \`${artifact.path.text}\` ${problem}`, {
          position: { line: at.line, column: at.column },
          expected: 'a path relative to the workspace, staying inside it (e.g. `docs/prd.md`)',
          hint: 'artifacts are written inside the workspace (`--workspace`); remove the leading `/` or the `..` segments',
        });
      }
    }
  }
}

/** Why the path's literal parts leave the workspace, or undefined when they do not. */
export function literalEscape(template: string): string | undefined {
  const literal = template.replace(TEMPLATE_TAG, 'x').replace(/\\/g, '/').trim();
  if (literal.startsWith('/') || /^[A-Za-z]:\//.test(literal)) return 'is absolute';
  const normalized = path.posix.normalize(literal);
  if (normalized === '..' || normalized.startsWith('../')) return 'leaves the workspace';
  return undefined;
}
