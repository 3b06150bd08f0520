import type { Liquid, Template } from 'liquidjs';
import { EACH } from './types.js';

/** A `{% for %}` or `{% tablerow %}` as liquidjs parses it. */
interface LoopTag {
  name: string;
  variable: string;
  collection: { getText(): string };
  templates: Template[];
}

/** A list named by a plain path (`message.payload.steps`); a range, a literal or a computed key names none. */
const PLAIN_PATH = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$/;

/**
 * Fields read through a loop's variable, from the root: `{% for step in message.payload.steps %}{{
 * step.title }}` reads `message.payload.steps[].title` (`EACH` for every item), loops in loops too.
 * A loop over what is no plain path of the context (a range, a literal) reads nothing here.
 */
export function liquidLoopReads(liquid: Liquid, templates: readonly Template[]): string[][] {
  const reads: string[][] = [];
  const visit = (nodes: readonly unknown[], bound: ReadonlyMap<string, string[]>): void => {
    for (const node of nodes) {
      if (!node || typeof node !== 'object') continue;
      const tag = node as Partial<LoopTag> & { elseTemplates?: unknown[]; branches?: Array<{ templates?: unknown[] }> };
      if ((tag.name === 'for' || tag.name === 'tablerow') && typeof tag.variable === 'string' && tag.collection && Array.isArray(tag.templates)) {
        const inner = new Map(bound);
        const list = listPath(tag.collection.getText(), bound);
        if (list) {
          const item = [...list, EACH];
          for (const segments of liquid.globalVariableSegmentsSync(tag.templates, { partials: false })) {
            const rest = plainSegments(segments);
            if (rest[0] === tag.variable && rest.length > 1) reads.push([...item, ...rest.slice(1)]);
          }
          inner.set(tag.variable, item);
        } else {
          // The variable now names something else: an outer loop's item is hidden.
          inner.delete(tag.variable);
        }
        visit(tag.templates, inner);
      } else if (Array.isArray(tag.templates)) {
        visit(tag.templates, bound);
      }
      if (Array.isArray(tag.elseTemplates)) visit(tag.elseTemplates, bound);
      if (Array.isArray(tag.branches)) for (const branch of tag.branches) if (Array.isArray(branch?.templates)) visit(branch.templates, bound);
    }
  };
  visit(templates, new Map());
  return reads;
}

/** The list's path from the root: through an outer loop's variable, that loop's list and `EACH`. */
function listPath(text: string, bound: ReadonlyMap<string, string[]>): string[] | undefined {
  const trimmed = text.trim();
  if (!PLAIN_PATH.test(trimmed)) return undefined;
  const [head, ...rest] = trimmed.split('.') as [string, ...string[]];
  const outer = bound.get(head);
  return outer ? [...outer, ...rest] : [head, ...rest];
}

/** Segments as far as they are known statically: a computed one (`a[b]`) ends what can be known. */
function plainSegments(segments: ReadonlyArray<unknown>): string[] {
  const end = segments.findIndex((segment) => typeof segment !== 'string' && typeof segment !== 'number');
  return (end === -1 ? segments : segments.slice(0, end)).map(String);
}
