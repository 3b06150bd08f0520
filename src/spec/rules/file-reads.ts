import path from 'node:path';
import type { ErrorCode } from '../../errors/index.js';
import { partialsSeeing, toFilePosition, type PartialRead } from '../../templates/index.js';
import type { ExpressionText, ResolvedAction, TemplateText } from '../resolved.js';
import { expressionRoots, templateRoots } from '../contexts.js';
import { partialText } from '../referenced-files.js';
import { didYouMean, listNames } from '../suggest.js';
import { characterPosition } from '../text-encoding.js';
import { displayFile, startOf, type RuleContext, type TemplateSite } from './rule-context.js';

/**
 * What a template reads of `files` (the files the action's `reads` put in its context), checked
 * against those reads where that can be known:
 * - TEMPLATE_SYNTAX: a Liquid `files["out/" + name]`. Liquid has no operators inside `[...]`: it
 *   reads `files["out/"]` and drops the rest, silently, so the run fails at that line every time.
 * - TEMPLATE_VARIABLE_UNKNOWN: `{{ files["notes.md"] }}` (Handlebars `{{lookup files "notes.md"}}`,
 *   `{{files.[notes.md]}}`) where every `reads` entry is a literal path and none is `notes.md`: on
 *   every run the output is undefined (strict variables) or, through `lookup`, empty.
 * - FILE_READ_UNCHECKED (warning): `files[name]` (`lookup files name`), a name computed at run time, where every `reads`
 *   entry is a literal path: nothing can tell now whether it is one of them. An action that reads
 *   computed paths itself (a path template, `each`, `glob`) is left alone: that is the pattern.
 * A key written as a field (`files.README`) is the same read as `files["README"]`.
 * The partials a template includes with its variables (Liquid `include`, Handlebars `{{> p}}` at
 * the top scope, a Liquid `render` that passes `files`) are checked the same way, in the partial's file. CEL expressions that see `files`
 * (a `precondition.assert`, a CEL argv) too: there `files["notes.md"]` of a file not read fails the
 * expression on every run (`No such key`), an EXPRESSION_VARIABLE_UNKNOWN; a read guarded by
 * `"notes.md" in files` is not.
 */
export function fileReads(context: RuleContext): void {
  const engine = context.sop.settings.templates;
  // A partial included by several templates of one action is reported once.
  const reported = new Set<string>();
  for (const site of context.templates()) {
    const action = site.action;
    if (!action || !templateRoots(site.place, site.facts).includes('files')) continue;
    const check: ReadCheck = { context, action, language: engine, readsRoots: templateRoots('reads', site.facts), reported };
    const scan = engine === 'liquid' ? liquidFileReads : handlebarsFileReads;
    for (const read of scan(site.template.text, 'files')) checkRead(check, read, positionOf(site.template, read.offset), '');
    const includedBy = startOf(site.template);
    for (const partial of partialsSeeingFiles(site, context.sop.dir, engine)) {
      const file = displayFile(context.sop, partial.file);
      const prefix = `in partial \`${partial.partial}\` (included by ${includedBy.file}:${includedBy.line}): `;
      for (const read of scan(partial.text, partial.as)) checkRead(check, read, { file, ...characterPosition(partial.text, read.offset), pointer: site.template.origin.pointer }, prefix);
    }
  }
  for (const site of context.expressions()) {
    const action = site.action;
    if (!action || !expressionRoots(site.place, site.facts).includes('files')) continue;
    const check: ReadCheck = { context, action, language: 'cel', readsRoots: templateRoots('reads', site.facts), reported };
    for (const read of celFileReads(site.expression.source)) checkRead(check, read, positionOf(site.expression, read.offset), '');
  }
}

/** Where reads are checked: the action whose `reads` they must name, and in which language they are written. */
interface ReadCheck {
  context: RuleContext;
  action: ResolvedAction;
  language: Language;
  /** What a `reads` entry of the action can see (to suggest one written the same way). */
  readsRoots: readonly string[];
  reported: Set<string>;
}

type Language = 'liquid' | 'handlebars' | 'cel';

/** One read of `files`, reported at `at` (`prefix`: where it is, for a partial). */
function checkRead(check: ReadCheck, read: FileRead, at: { file: string; line: number; column: number; pointer: string }, prefix: string): void {
  const { context, action, language } = check;
  const report = (severity: 'error' | 'warning', code: ErrorCode, message: string, details: { expected: string; hint: string }): void => {
    // Keyed without `prefix`: a partial is reported once, naming the first template that includes it.
    const key = `${at.file}\0${at.line}:${at.column}\0${message}`;
    if (check.reported.has(key)) return;
    check.reported.add(key);
    context.sink[severity](code, at.pointer, `${prefix}${message}`, { file: at.file, position: { line: at.line, column: at.column }, ...details });
  };
  if (read.kind === 'operator') {
    report('error', 'TEMPLATE_SYNTAX', `\`${read.written}\`: Liquid has no operators or filters inside \`[...]\`: this reads \`files[${read.first}]\` and ignores the rest`, {
      expected: 'one literal name (`files["out/report.md"]`) or one variable (`files[path]`) inside the brackets',
      hint: `build the name first: \`{% assign path = ${read.first} | append: ... %}{{ files[path] }}\` (and read it with a \`reads\` entry that gives that path)`,
    });
    return;
  }
  // An action that reads a computed path (a template, `each`, `glob`) can give any name.
  const literalReads = literalPaths(action);
  if (literalReads === undefined) return;
  if (read.kind === 'literal') {
    if (!read.strict || literalReads.includes(normalized(read.name))) return;
    report('error', language === 'cel' ? 'EXPRESSION_VARIABLE_UNKNOWN' : 'TEMPLATE_VARIABLE_UNKNOWN', `\`${read.written}\`: action \`${action.id}\` does not read \`${read.name}\``, {
      expected: literalReads.length === 0 ? 'a file the action reads: it has no `reads`' : `a file its \`reads\` names: ${listNames(literalReads)}`,
      hint: read.dotted !== undefined && read.dotted !== read.name && literalReads.includes(normalized(read.dotted))
        ? `a dot separates keys: this reads \`${read.name}\`; name \`${read.dotted}\` in brackets: ${literalRead(language, read.dotted)}`
        : (didYouMean(read.name, literalReads) ?? `add \`${read.name}\` to the action's \`reads\` (a missing file reads as empty text)`),
    });
    return;
  }
  report('warning', 'FILE_READ_UNCHECKED', `\`${read.written}\` reads a file named at run time, so it is not checked against action \`${action.id}\`'s \`reads\` (${literalReads.length === 0 ? 'it has none' : literalReads.join(', ')})`, {
    expected: `a literal name, checked now: ${literalRead(language, 'docs/prd.md')}`,
    hint: uncheckedHint(language, read.key, literalReads, check.readsRoots),
  });
}

/**
 * How to make a computed read checkable: its literal name; or, when the name comes from what a
 * `reads` entry can see too (`inputs.doc`, `item.file`), an entry written the same way.
 */
function uncheckedHint(language: Language, key: string, literalReads: readonly string[], readsRoots: readonly string[]): string {
  const literal = literalReads.length > 0 ? `write the name it stands for literally (${literalRead(language, literalReads[0] ?? '')})` : 'add the file to the action\'s `reads` and name it literally';
  const simplePath = /^[A-Za-z_][\w-]*(\s*\.\s*[\w-]+|\s*\[[^\]]*\])*$/.test(key);
  const sameWay = simplePath && readsRoots.includes(key.split(/[\s.[]/)[0] ?? '') ? `, or read it with a \`reads\` entry written the same way (\`- "{{ ${key} }}"\`)` : ', or read the files it can name with a `glob` or `each` entry';
  if (language === 'cel') return `${literal}${sameWay}: the expression fails (\`No such key\`) when the name is not one the action read, unless \`${simplePath ? key : `(${key})`} in files\` guards it`;
  const otherwise = language === 'liquid' ? 'a run fails at this line' : 'this renders as empty text';
  return `${literal}${sameWay}: ${otherwise} when the name is not one the action read`;
}

/** A read of a file named literally, as the engine writes it. */
function literalRead(language: Language, name: string): string {
  return language === 'handlebars' ? `\`{{lookup files "${name}"}}\`` : `\`files["${name}"]\``;
}

/** The action's `reads`, when every entry is a literal path (normalised as the run keys them); undefined when one is computed. */
function literalPaths(action: ResolvedAction): string[] | undefined {
  const paths: string[] = [];
  for (const read of action.reads) {
    if (read.kind !== 'path' || /\{\{|\{%/.test(read.path.text)) return undefined;
    paths.push(normalized(read.path.text.trim()));
  }
  return paths;
}

function normalized(name: string): string {
  return path.posix.normalize(name.replaceAll('\\', '/')).replace(/^\.\//, '');
}

type FileRead =
  /** `dotted`: the whole name a dot access spells (`files.notes.md` reads `notes`, then its `md`). */
  | { kind: 'literal'; name: string; written: string; offset: number; strict: boolean; dotted?: string }
  | { kind: 'computed'; key: string; written: string; offset: number }
  | { kind: 'operator'; first: string; written: string; offset: number };

/** Liquid tags and outputs; `{% raw %}` and `{% comment %}` text is not code. */
const LIQUID_MARKUP = /\{%-?\s*(raw|comment)\s*-?%\}[\s\S]*?\{%-?\s*end\1\s*-?%\}|\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;

/** Liquid's own properties of a hash: `files.size` is the number of files read, not a file. */
const LIQUID_HASH_PROPERTIES = new Set(['size', 'first', 'last']);

/** Every `files[...]` and `files.name` inside Liquid markup (`root`: the name a partial sees `files` under). */
function liquidFileReads(text: string, root: string): FileRead[] {
  const reads: FileRead[] = [];
  if (!text.includes(root)) return reads; // every read names it (most prompts read no file)
  for (const markup of text.matchAll(LIQUID_MARKUP)) {
    const body = markup[2] ?? markup[3];
    if (body === undefined) continue;
    const isOutput = markup[2] !== undefined;
    const bodyStart = (markup.index ?? 0) + 2;
    // Undefined is an error only where it is printed; `if`, `assign` and `| default` take it.
    const strict = isOutput && !/\|\s*default\b/.test(body);
    for (const found of withoutStrings(body).matchAll(new RegExp(`(?<![\\w.\\]-])${escapeRegExp(root)}((?:\\s*\\.\\s*[A-Za-z_][\\w-]*)+)`, 'g'))) {
      const names = (found[1] ?? '').split('.').map((name) => name.trim()).slice(1);
      if (LIQUID_HASH_PROPERTIES.has(names[0] ?? '')) continue;
      reads.push({ kind: 'literal', name: names[0] ?? '', dotted: names.join('.'), written: `${root}.${names.join('.')}`, offset: bodyStart + (found.index ?? 0), strict });
    }
    for (const found of body.matchAll(new RegExp(`(?<![\\w.\\]-])${escapeRegExp(root)}\\s*\\[`, 'g'))) {
      const open = (found.index ?? 0) + found[0].length;
      const close = closingBracket(body, open);
      if (close === undefined) continue;
      const inside = body.slice(open, close).trim();
      const written = `${root}[${inside}]`;
      const offset = bodyStart + (found.index ?? 0);
      const literal = /^(["'])((?:(?!\1).)*)\1/.exec(inside);
      if (literal) {
        const rest = inside.slice(literal[0].length).trim();
        if (rest !== '') reads.push({ kind: 'operator', first: literal[0], written, offset });
        else reads.push({ kind: 'literal', name: literal[2] ?? '', written, offset, strict });
      } else if (/^[A-Za-z_][\w-]*(\s*\.\s*[\w-]+|\s*\[[^\]]*\])*$/.test(inside)) {
        reads.push({ kind: 'computed', key: inside, written, offset });
      } else {
        const first = /^[A-Za-z_][\w.-]*|^\S+/.exec(inside)?.[0] ?? inside;
        reads.push({ kind: 'operator', first, written, offset });
      }
    }
  }
  return reads.sort((a, b) => a.offset - b.offset);
}

/** Every `lookup files NAME`, `files.[NAME]` and `files.NAME` inside Handlebars markup. */
function handlebarsFileReads(text: string): FileRead[] {
  const reads: FileRead[] = [];
  if (!text.includes('files')) return reads; // every read names it (most prompts read no file)
  for (const markup of text.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const body = markup[1] ?? '';
    const bodyStart = (markup.index ?? 0) + 2;
    for (const found of withoutStrings(body).matchAll(/(?<![\w.\/@-])files((?:\.[A-Za-z_][\w-]*)+)/g)) {
      const names = (found[1] ?? '').split('.').slice(1);
      reads.push({ kind: 'literal', name: names[0] ?? '', dotted: names.join('.'), written: found[0], offset: bodyStart + (found.index ?? 0), strict: true });
    }
    for (const found of body.matchAll(/(?<![\w.])lookup\s+files\s+(?:"([^"]*)"|'([^']*)'|([^\s()}]+))/g)) {
      const offset = bodyStart + (found.index ?? 0);
      const name = found[1] ?? found[2];
      // A name the action did not read renders as empty text: never what was meant.
      if (name !== undefined) reads.push({ kind: 'literal', name, written: found[0], offset, strict: true });
      else reads.push({ kind: 'computed', key: found[3] ?? '', written: found[0], offset });
    }
    for (const found of body.matchAll(/(?<![\w.])files\.\[([^\]]*)\]/g)) {
      reads.push({ kind: 'literal', name: found[1] ?? '', written: found[0], offset: bodyStart + (found.index ?? 0), strict: true });
    }
  }
  return reads.sort((a, b) => a.offset - b.offset);
}

/** The text with its quoted strings blanked (same length, so offsets stay true): `"see files.md"` reads nothing. */
function withoutStrings(text: string): string {
  return text.replace(/"[^"]*"|'[^']*'/g, (quoted) => ' '.repeat(quoted.length));
}

/** The index of the `]` that closes a bracket opened just before `start` (strings and nested brackets skipped). */
function closingBracket(text: string, start: number): number | undefined {
  let depth = 1;
  let quote: string | undefined;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === '\'') quote = char;
    else if (char === '[') depth += 1;
    else if (char === ']' && --depth === 0) return index;
  }
  return undefined;
}

/** The file position of an offset in a template's or expression's text. */
function positionOf(text: TemplateText | ExpressionText, offset: number): { file: string; line: number; column: number; pointer: string } {
  const position = characterPosition('text' in text ? text.text : text.source, offset);
  return { file: text.origin.file, ...toFilePosition(text.origin, position), pointer: text.origin.pointer };
}


/**
 * The partials a template includes that see its `files` (and read them), with their text and the
 * name they see `files` under: what the template includes (Liquid `include`, Handlebars `{{> p}}`),
 * and for Liquid what a `{% render %}` passes `files` to (`files: files`, `docs: files`), followed
 * through the partials those include and render. A `render` that does not pass it is reported as such.
 */
function partialsSeeingFiles(site: TemplateSite, root: string, engine: 'liquid' | 'handlebars'): Array<{ partial: string; file: string; text: string; as: string }> {
  let reads: PartialRead[];
  try {
    reads = site.compiled?.partialReads?.() ?? [];
  } catch {
    return []; // a partial that does not parse is reported by template-variables
  }
  const views: Array<{ partial: string; file: string; text: string; as: string }> = [];
  const seen = new Set<string>();
  const add = (partial: string, file: string, as: string): string | undefined => {
    const text = seen.has(`${file}\0${as}`) ? undefined : partialText(file);
    seen.add(`${file}\0${as}`);
    if (text !== undefined) views.push({ partial, file, text, as });
    return text;
  };
  for (const read of reads) if (read.path[0] === 'files' && !read.isolated) add(read.partial, read.file, 'files');
  if (engine === 'handlebars') return views;
  // The includes of the template (and of its included partials) are known from the analysis above;
  // renders are followed here, and inside a rendered partial its includes too.
  const queue: Array<{ text: string; as: string; rendered: boolean }> = [{ text: site.template.text, as: 'files', rendered: false }, ...views.map((view) => ({ text: view.text, as: view.as, rendered: false }))];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const partial of partialsSeeing(root, next.text, next.as)) {
      if (partial.tag === 'include' && !next.rendered) continue;
      const text = add(partial.name, partial.file, partial.as);
      if (text !== undefined) queue.push({ text, as: partial.as, rendered: true });
    }
  }
  return views;
}

/**
 * Every `files[...]` in a CEL expression (outside strings). A read guarded by `NAME in files`
 * (`"notes.md" in files && files["notes.md"] != ''`) is taken care of: left out.
 */
function celFileReads(source: string): FileRead[] {
  const reads: FileRead[] = [];
  for (let index = 0; index < source.length;) {
    const char = source[index]!;
    if (char === '"' || char === '\'') {
      index = afterCelString(source, index);
      continue;
    }
    if (/[\w.]/.test(source[index - 1] ?? '')) {
      index += 1;
      continue;
    }
    // `files.README`: a key written as a field (`files.notes.md` reads `notes`); not `files.size()`.
    const dot = /files((?:\s*\.\s*[A-Za-z_]\w*)+)(?!\s*[\w(])/y;
    dot.lastIndex = index;
    const dotted = dot.exec(source);
    if (dotted) {
      const names = (dotted[1] ?? '').split('.').map((name) => name.trim()).slice(1);
      const name = names[0] ?? '';
      // `has(files.README)` is the guard itself; a read guarded by it (or by `'README' in files`) is taken care of.
      const guarded = /has\s*\(\s*$/.test(source.slice(0, index))
        || new RegExp(`has\\s*\\(\\s*files\\s*\\.\\s*${escapeRegExp(name)}\\s*\\)|[rR]?["']${escapeRegExp(name)}["']\\s*in\\s+files(?![\\w.])`).test(source);
      if (!guarded) reads.push({ kind: 'literal', name, dotted: names.join('.'), written: `files.${names.join('.')}`, offset: index, strict: true });
      index = dot.lastIndex;
      continue;
    }
    const found = /files\s*\[/y;
    found.lastIndex = index;
    if (!found.test(source)) {
      index += 1;
      continue;
    }
    const open = found.lastIndex;
    const close = closingBracket(source, open);
    if (close === undefined) break;
    const inside = source.slice(open, close).trim();
    const written = `files[${inside}]`;
    const literal = /^[rR]?(["'])((?:(?!\1)[^\\])*)\1$/.exec(inside);
    // `NAME in files`, the name written as here (quotes aside), or in parentheses.
    const guard = literal ? `[rR]?["']${escapeRegExp(literal[2] ?? '')}["']` : escapeRegExp(inside);
    if (!new RegExp(`(?<![\\w.])(?:${guard}|\\(\\s*${guard}\\s*\\))\\s*in\\s+files(?![\\w.])`).test(source)) {
      reads.push(literal ? { kind: 'literal', name: literal[2] ?? '', written, offset: index, strict: true } : { kind: 'computed', key: inside, written, offset: index });
    }
    index = close + 1;
  }
  return reads;
}

/** The index after a CEL string starting at `start` (`'...'`, `"..."`, triple-quoted; escapes skipped). */
function afterCelString(source: string, start: number): number {
  const quote = source[start]!;
  const triple = source.startsWith(quote.repeat(3), start);
  const end = triple ? quote.repeat(3) : quote;
  for (let index = start + end.length; index < source.length; index++) {
    if (source[index] === '\\') index += 1;
    else if (source.startsWith(end, index)) return index + end.length;
  }
  return source.length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
