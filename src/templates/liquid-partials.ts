import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatBytes, LIMITS, notRegularFile, sizeAbove } from '../spec/limits.js';
import { characterPosition } from '../spec/text-encoding.js';
import type { TemplatePosition } from './origin.js';

/** A `{% include 'name' %}`, `{% render 'name' %}` or `{% layout 'name' %}` whose name is written literally. */
export interface LiteralPartial {
  tag: string;
  name: string;
  /** Position of the name inside the template. */
  position: TemplatePosition;
  /** Inside an `{% if %}`, `{% unless %}`, `{% case %}`, `{% for %}` or `{% tablerow %}` body: it may not render. */
  conditional: boolean;
}

const IGNORED = /\{%-?\s*(comment|raw)\s*-?%\}[\s\S]*?\{%-?\s*end\1\s*-?%\}|\{%-?\s*#[\s\S]*?%\}/g;
/** Any tag, with the quoted name that follows it (`{% render 'name'`) when there is one. */
const TAG = /\{%-?\s*([A-Za-z_]\w*)(?:\s+(['"])([^'"\n]*)\2)?/g;
const PARTIAL_TAGS = new Set(['include', 'render', 'layout']);
/** Blocks whose body may render never; `capture` always renders its body, so it holds nothing back. */
const CONDITIONAL_BLOCKS = new Set(['if', 'unless', 'case', 'for', 'tablerow']);

/** The partials a Liquid template names with a quoted string (a name held in a variable is only known when rendering). */
export function literalPartials(text: string): LiteralPartial[] {
  // Commented-out and raw parts are blanked (same length, so offsets stay true).
  const live = text.replace(IGNORED, (part) => part.replace(/[^\n]/g, ' '));
  const open: string[] = [];
  const partials: LiteralPartial[] = [];
  for (const match of live.matchAll(TAG)) {
    const tag = match[1] as string;
    if (CONDITIONAL_BLOCKS.has(tag)) open.push(tag);
    else if (tag.startsWith('end') && open.includes(tag.slice(3))) open.splice(open.lastIndexOf(tag.slice(3)), 1);
    if (!PARTIAL_TAGS.has(tag) || match[3] === undefined) continue;
    const offset = (match.index ?? 0) + match[0].length - match[3].length - 1;
    partials.push({ tag, name: match[3], position: characterPosition(text, offset), conditional: open.length > 0 });
  }
  return partials;
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
  const kind = notRegularFile(statSync(file));
  if (kind === 'a folder') return { message: `partial \`${name}\` is a folder, not a file`, hint: `name a file: ${relative}/<name>` };
  if (kind !== undefined) return { message: `partial \`${name}\` is ${kind}, not a file`, hint: `make ${relative} a regular file` };
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

/** Partials that include each other: the chain as the names are written, and the include of the template that enters it. */
export interface LiquidPartialCycle {
  cycle: string[];
  entry: LiteralPartial;
}

/**
 * A chain of literally named partials that comes back to one of its own (`a → b → a`), or
 * undefined. With `unconditional`, only includes outside any condition or loop count: such a chain
 * nests without end on every render, whatever the data; any other only a render can judge.
 */
export function partialCycle(root: string, text: string, options: { unconditional?: boolean } = {}): LiquidPartialCycle | undefined {
  const onPath: string[] = [];
  const files: string[] = [];
  const done = new Set<string>();
  const followed = (source: string): LiteralPartial[] => literalPartials(source).filter((partial) => !(options.unconditional && partial.conditional));
  const visit = (source: string): string[] | undefined => {
    for (const { name } of followed(source)) {
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
  const cycle = visit(text);
  if (!cycle) return undefined;
  // The path from the template kept its first step: the include written in the template's own text.
  const entry = followed(text).find((partial) => partial.name === onPath[0]) ?? followed(text).find((partial) => partial.name === cycle[0]);
  return entry ? { cycle, entry } : undefined;
}

/** A partial, named literally, that sees one variable of the template that includes or renders it, and under which name. */
export interface PartialSeeing {
  tag: 'include' | 'render';
  name: string;
  /** Absolute path of the partial's file. */
  file: string;
  /** The variable's name inside the partial: the same for `include`, the argument it is passed as for `render`. */
  as: string;
}

const RENDER_TAG = /\{%-?\s*render\s+(['"])([^'"\n]*)\1([\s\S]*?)-?%\}/g;

/**
 * The partials a Liquid text includes or renders that see its `variable`: every `{% include %}`,
 * and a `{% render %}` only when it passes it (`files: files`, `docs: files`, `with files as docs`,
 * `with files`: as the partial's name).
 * Partials that cannot be read are left out (validation reports them elsewhere).
 */
export function partialsSeeing(root: string, text: string, variable: string): PartialSeeing[] {
  if (!text.includes('{%')) return []; // no tag, no partial (most prompts)
  const live = text.replace(IGNORED, (part) => part.replace(/[^\n]/g, ' '));
  const seeing: PartialSeeing[] = [];
  const add = (tag: PartialSeeing['tag'], name: string, as: string): void => {
    if (partialProblem(root, name) === undefined) seeing.push({ tag, name, file: partialFile(root, name), as });
  };
  for (const partial of literalPartials(live)) if (partial.tag === 'include') add('include', partial.name, variable);
  for (const render of live.matchAll(RENDER_TAG)) {
    const name = render[2] as string;
    const args = render[3] ?? '';
    for (const arg of args.matchAll(/(?:^|,)\s*([A-Za-z_][\w-]*)\s*:\s*([A-Za-z_][\w-]*)\s*(?=,|$)/g)) if (arg[2] === variable) add('render', name, arg[1] as string);
    // `with files` alone binds it under the partial's name.
    const withAs = /^\s*,?\s*with\s+([A-Za-z_][\w-]*)(?:\s+as\s+([A-Za-z_][\w-]*))?(?=[\s,]|$)/.exec(args);
    if (withAs && withAs[1] === variable) add('render', name, withAs[2] ?? name);
  }
  return seeing;
}

/** RENDER_TAG, with the place of each group (`indices`). */
const RENDER_TAG_INDICES = new RegExp(RENDER_TAG.source, 'gd');
/** A render's arguments that render it `for` a list (after an optional `with x [as y]`); group 1: its `as NAME`. */
const RENDER_FOR = /^\s*,?\s*(?:with\s+[^\s,]+(?:\s+as\s+[A-Za-z_][\w-]*)?\s*,?\s*)?for\s+[^\s,]+(\s+as\s+[A-Za-z_][\w-]*)?/;

/** `{% render 'name' for list %}` without `as`: written in a template, at the `for`. */
export interface UnnamedRenderFor {
  name: string;
  position: TemplatePosition;
}

/**
 * The `{% render 'name' for list %}` of a text that name no item (`as item`). liquidjs (10.x) then
 * binds each item to no name at all, where Shopify's Liquid binds it to the partial's name: a
 * partial reading `name` fails at its first render with "undefined variable".
 */
export function unnamedRenderFors(text: string): UnnamedRenderFor[] {
  const live = text.replace(IGNORED, (part) => part.replace(/[^\n]/g, ' '));
  const found: UnnamedRenderFor[] = [];
  for (const render of live.matchAll(RENDER_TAG_INDICES)) {
    const binding = RENDER_FOR.exec(render[3] ?? '');
    if (!binding || binding[1] !== undefined) continue;
    // Where the `for` is: the arguments' start, then the binding's leading blanks, commas and `with` part.
    const offset = (render.indices?.[3]?.[0] ?? 0) + binding.index + binding[0].search(/\bfor\s/);
    found.push({ name: render[2] as string, position: characterPosition(text, offset) });
  }
  return found;
}

/** A partial file a template reaches, and the include or render written in the template that leads to it. */
export interface ReachedPartial {
  /** The name as the include or render that reads it writes it. */
  name: string;
  /** Absolute path of its file. */
  file: string;
  text: string;
  entry: LiteralPartial;
}

/**
 * Every partial file a template reaches through literally named partials, directly or in a partial
 * it includes or renders, each once, nearest first: those a template's compile does not parse (liquidjs
 * reads a partial when it first renders it), so what is checked in a template is checked in them too.
 */
export function reachedPartials(root: string, text: string): ReachedPartial[] {
  const reached: ReachedPartial[] = [];
  const visited = new Set<string>();
  const queue: Array<{ source: string; entry?: LiteralPartial }> = [{ source: text }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const partial of literalPartials(next.source)) {
      if (partialProblem(root, partial.name)) continue;
      const file = partialFile(root, partial.name);
      if (visited.has(file)) continue;
      visited.add(file);
      const entry = next.entry ?? partial;
      const source = readFileSync(file, 'utf8');
      reached.push({ name: partial.name, file, text: source, entry });
      queue.push({ source, entry });
    }
  }
  return reached;
}

/**
 * The partial files a template renders `for` a list (`{% render 'row' for rows as row %}`), directly
 * or in a partial it renders or includes: in those, `forloop` is bound by the render.
 */
export function forRenderedPartialFiles(root: string, text: string): Set<string> {
  const files = new Set<string>();
  const visited = new Set<string>();
  const queue = [text];
  for (let source = queue.shift(); source !== undefined; source = queue.shift()) {
    const live = source.replace(IGNORED, (part) => part.replace(/[^\n]/g, ' '));
    for (const render of live.matchAll(RENDER_TAG)) {
      const name = render[2] as string;
      if (RENDER_FOR.test(render[3] ?? '') && partialProblem(root, name) === undefined) files.add(partialFile(root, name));
    }
    for (const { name } of literalPartials(source)) {
      if (partialProblem(root, name)) continue;
      const file = partialFile(root, name);
      if (visited.has(file)) continue;
      visited.add(file);
      queue.push(readFileSync(file, 'utf8'));
    }
  }
  return files;
}
