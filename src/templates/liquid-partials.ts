import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatBytes, LIMITS, sizeAbove } from '../spec/limits.js';
import type { TemplatePosition } from './origin.js';

/** A `{% include 'name' %}`, `{% render 'name' %}` or `{% layout 'name' %}` whose name is written literally. */
export interface LiteralPartial {
  tag: string;
  name: string;
  /** Position of the name inside the template. */
  position: TemplatePosition;
}

const IGNORED = /\{%-?\s*(comment|raw)\s*-?%\}[\s\S]*?\{%-?\s*end\1\s*-?%\}|\{%-?\s*#[\s\S]*?%\}/g;
const LITERAL_PARTIAL = /\{%-?\s*(include|render|layout)\s+(['"])([^'"\n]*)\2/g;

/** The partials a Liquid template names with a quoted string (a name held in a variable is only known when rendering). */
export function literalPartials(text: string): LiteralPartial[] {
  // Commented-out and raw parts are blanked (same length, so offsets stay true).
  const live = text.replace(IGNORED, (part) => part.replace(/[^\n]/g, ' '));
  return [...live.matchAll(LITERAL_PARTIAL)].map((match) => {
    const offset = (match.index ?? 0) + match[0].length - (match[3] as string).length - 1;
    const before = text.slice(0, offset).split('\n');
    return { tag: match[1] as string, name: match[3] as string, position: { line: before.length, column: (before.at(-1) as string).length + 1 } };
  });
}

/**
 * Why a partial cannot be read from `root` (liquidjs appends `.liquid` to a name without extension
 * and refuses files outside `root`), or undefined when it can.
 */
export function partialProblem(root: string, name: string): { message: string; hint: string } | undefined {
  if (name.trim() === '') return { message: 'a partial needs a name', hint: "write {% include 'header' %} for the file header.liquid next to the SOP" };
  const file = path.resolve(root, path.extname(name) ? name : `${name}.liquid`);
  const relative = path.relative(root, file);
  if (path.isAbsolute(name) || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { message: `partial \`${name}\` is outside the SOP's folder`, hint: 'partials are read from the SOP\'s folder and below; copy the file next to the SOP' };
  }
  if (!existsSync(file)) {
    return { message: `partial \`${name}\` not found`, hint: `create ${relative} in the SOP's folder (${root})` };
  }
  if (!statSync(file).isFile()) return { message: `partial \`${name}\` is a folder, not a file`, hint: `name a file: ${relative}/<name>` };
  const size = sizeAbove(file, LIMITS.referencedFileBytes);
  if (size !== undefined) {
    return { message: `partial \`${name}\` is ${formatBytes(size)}; a referenced file is at most ${formatBytes(LIMITS.referencedFileBytes)}`, hint: 'a partial is text a model or a person reads: shorten it' };
  }
  return undefined;
}

/** The file liquidjs reads for a partial name (`.liquid` added to a name without extension). */
function partialFile(root: string, name: string): string {
  return path.resolve(root, path.extname(name) ? name : `${name}.liquid`);
}

/**
 * The partial files a template reaches through a `{% render %}` (directly or in a partial that
 * one renders): those see only what the render passes, none of the template's variables. Each
 * file is read at most twice (once included, once rendered), so partials that include each
 * other end the walk.
 */
export function renderedPartialFiles(root: string, text: string): Set<string> {
  const rendered = new Set<string>();
  const visited = new Set<string>();
  const queue: Array<{ source: string; isolated: boolean }> = [{ source: text, isolated: false }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const { tag, name } of literalPartials(next.source)) {
      if (partialProblem(root, name)) continue;
      const file = partialFile(root, name);
      const isolated = next.isolated || tag === 'render';
      if (visited.has(`${isolated}:${file}`)) continue;
      visited.add(`${isolated}:${file}`);
      if (isolated) rendered.add(file);
      queue.push({ source: readFileSync(file, 'utf8'), isolated });
    }
  }
  return rendered;
}

/**
 * A chain of literally named partials that comes back to one of its own (`a → b → a`), as the names
 * are written, or undefined. Only a render can tell whether a condition stops it, so this explains a
 * render that nested without end rather than refusing the template.
 */
export function partialCycle(root: string, text: string): string[] | undefined {
  const onPath: string[] = [];
  const files: string[] = [];
  const done = new Set<string>();
  const visit = (source: string): string[] | undefined => {
    for (const { name } of literalPartials(source)) {
      if (partialProblem(root, name)) continue;
      const file = partialFile(root, name);
      const seen = files.indexOf(file);
      if (seen !== -1) return [...onPath.slice(seen), name];
      if (done.has(file)) continue;
      onPath.push(name);
      files.push(file);
      const found = visit(readFileSync(file, 'utf8'));
      if (found) return found;
      onPath.pop();
      files.pop();
      done.add(file);
    }
    return undefined;
  };
  return visit(text);
}
