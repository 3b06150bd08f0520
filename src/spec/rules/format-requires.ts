import { createRequire } from 'node:module';
import type semverModule from 'semver';
import { FORMAT_ADDITIONS, sopParts, VARIABLE_ADDITIONS } from '../format-additions.js';
import type { RuleContext } from './rule-context.js';

const require = createRequire(import.meta.url);

/** A field the SOP uses that older runners do not read: the first place it is used. */
interface Use {
  field: string;
  since: string;
  pointer: string;
}

/**
 * FORMAT_NEWER_THAN_REQUIRES (warning): the SOP uses a field added to `sop/v1` after the first
 * runner (`format-additions.ts`) while `metadata.requires` states no range, or one that admits a
 * runner older than the field. Such a runner refuses the field by name, one at a time; a
 * `requires` it does not satisfy names the version to install instead.
 */
export function formatRequires(context: RuleContext): void {
  const uses = usesOf(context);
  if (uses.length === 0) return;
  const since = uses.map((use) => use.since).sort(compareVersions).at(-1) as string;
  const requires = context.document.metadata?.requires;
  if (requires !== undefined && !admitsOlder(requires, since)) return;
  const fields = uses.map((use) => `${use.field} (${use.pointer})`).join(', ');
  const needed = `>=${since}`;
  context.sink.warning(
    'FORMAT_NEWER_THAN_REQUIRES',
    requires === undefined ? '/metadata' : '/metadata/requires',
    requires === undefined
      ? `this SOP uses fields that sop reads from ${since} on, and states no \`requires\`: ${fields}`
      : `\`requires: "${requires}"\` admits runners older than ${since}, which do not read fields this SOP uses: ${fields}`,
    {
      expected: `metadata.requires admitting only runners from ${since} on`,
      hint: requires === undefined
        ? `add \`requires: "${needed}"\` to metadata: an older runner then names the version to install instead of refusing the fields one by one`
        : `raise its lower bound to ${since}, e.g. \`requires: "${needed}${upperBound(requires)}"\``,
    },
  );
}

/** The first use of each addition, in the table's order. */
function usesOf(context: RuleContext): Use[] {
  const parts = sopParts(context.document);
  const texts = [
    ...context.templates().map((site) => ({ text: site.template.text, pointer: site.template.origin.pointer })),
    ...context.expressions().map((site) => ({ text: site.expression.source, pointer: site.expression.origin.pointer })),
  ];
  return [
    ...FORMAT_ADDITIONS.flatMap(({ field, since, firstUse }): Use[] => {
      const pointer = firstUse(parts);
      return pointer === undefined ? [] : [{ field, since, pointer }];
    }),
    ...VARIABLE_ADDITIONS.flatMap(({ field, since, pattern }): Use[] => {
      const found = texts.find((site) => pattern.test(site.text));
      return found ? [{ field, since, pointer: found.pointer }] : [];
    }),
  ];
}

/** Does the range admit a version before `since`? An invalid range is reported by the envelope check, not here. */
function admitsOlder(requires: string, since: string): boolean {
  // semver (47 modules) is loaded only for SOPs that state `requires` and use an addition.
  const semver = require('semver') as typeof semverModule;
  if (semver.validRange(requires) === null) return false;
  return semver.intersects(requires, `<${since}.0-0`, { includePrerelease: true });
}

/** ` <1` when the range ends below a major version (`>=0.1 <1`), to keep in the suggestion. */
function upperBound(requires: string): string {
  const match = /<=?\s*[\d.]+\s*$/.exec(requires.trim());
  return match ? ` ${match[0].replace(/\s+/g, '')}` : '';
}

function compareVersions(left: string, right: string): number {
  const [leftMajor = 0, leftMinor = 0] = left.split('.').map(Number);
  const [rightMajor = 0, rightMinor = 0] = right.split('.').map(Number);
  return leftMajor - rightMajor || leftMinor - rightMinor;
}
