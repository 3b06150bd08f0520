import path from 'node:path';
import { toFilePosition } from '../../templates/index.js';
import type { ResolvedAction, TemplateText } from '../resolved.js';
import { templateRoots } from '../contexts.js';
import { didYouMean, listNames } from '../suggest.js';
import type { RuleContext } from './rule-context.js';

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
 */
export function fileReads(context: RuleContext): void {
  const engine = context.sop.settings.templates;
  for (const site of context.templates()) {
    const action = site.action;
    if (!action || !templateRoots(site.place, site.facts).includes('files')) continue;
    const literalReads = literalPaths(action);
    for (const read of engine === 'liquid' ? liquidFileReads(site.template.text) : handlebarsFileReads(site.template.text)) {
      const at = positionOf(site.template, read.offset);
      if (read.kind === 'operator') {
        context.sink.error('TEMPLATE_SYNTAX', at.pointer, `\`${read.written}\`: Liquid has no operators or filters inside \`[...]\`: this reads \`files[${read.first}]\` and ignores the rest`, {
          file: at.file,
          position: at,
          expected: 'one literal name (`files["out/report.md"]`) or one variable (`files[path]`) inside the brackets',
          hint: `build the name first: \`{% assign path = ${read.first} | append: ... %}{{ files[path] }}\` (and read it with a \`reads\` entry that gives that path)`,
        });
        continue;
      }
      // An action that reads a computed path (a template, `each`, `glob`) can give any name.
      if (literalReads === undefined) continue;
      if (read.kind === 'literal') {
        if (!read.strict || literalReads.includes(normalized(read.name))) continue;
        context.sink.error('TEMPLATE_VARIABLE_UNKNOWN', at.pointer, `\`${read.written}\`: action \`${action.id}\` does not read \`${read.name}\``, {
          file: at.file,
          position: at,
          expected: literalReads.length === 0 ? 'a file the action reads: it has no `reads`' : `a file its \`reads\` names: ${listNames(literalReads, read.name)}`,
          hint: didYouMean(read.name, literalReads) ?? `add \`${read.name}\` to the action's \`reads\` (a missing file reads as empty text)`,
        });
        continue;
      }
      context.sink.warning('FILE_READ_UNCHECKED', at.pointer, `\`${read.written}\` reads a file named at run time, so it is not checked against action \`${action.id}\`'s \`reads\` (${literalReads.length === 0 ? 'it has none' : literalReads.join(', ')})`, {
        file: at.file,
        position: at,
        expected: `a literal name, checked now: ${literalRead(engine, 'docs/prd.md')}`,
        hint: uncheckedHint(engine, read.key, literalReads, templateRoots('reads', site.facts)),
      });
    }
  }
}

/**
 * How to make a computed read checkable: its literal name; or, when the name comes from what a
 * `reads` entry can see too (`inputs.doc`, `item.file`), an entry written the same way.
 */
function uncheckedHint(engine: 'liquid' | 'handlebars', key: string, literalReads: readonly string[], readsRoots: readonly string[]): string {
  const literal = literalReads.length > 0 ? `write the name it stands for literally (${literalRead(engine, literalReads[0] ?? '')})` : 'add the file to the action\'s `reads` and name it literally';
  const sameWay = readsRoots.includes(key.split(/[\s.[]/)[0] ?? '') ? `, or read it with a \`reads\` entry written the same way (\`- "{{ ${key} }}"\`)` : ', or read the files it can name with a `glob` or `each` entry';
  const otherwise = engine === 'liquid' ? 'a run fails at this line' : 'this renders as empty text';
  return `${literal}${sameWay}: ${otherwise} when the name is not one the action read`;
}

/** A read of a file named literally, as the engine writes it. */
function literalRead(engine: 'liquid' | 'handlebars', name: string): string {
  return engine === 'liquid' ? `\`files["${name}"]\`` : `\`{{lookup files "${name}"}}\``;
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
  | { kind: 'literal'; name: string; written: string; offset: number; strict: boolean }
  | { kind: 'computed'; key: string; written: string; offset: number }
  | { kind: 'operator'; first: string; written: string; offset: number };

/** Liquid tags and outputs; `{% raw %}` and `{% comment %}` text is not code. */
const LIQUID_MARKUP = /\{%-?\s*(raw|comment)\s*-?%\}[\s\S]*?\{%-?\s*end\1\s*-?%\}|\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;

/** Every `files[...]` inside Liquid markup. */
function liquidFileReads(text: string): FileRead[] {
  const reads: FileRead[] = [];
  for (const markup of text.matchAll(LIQUID_MARKUP)) {
    const body = markup[2] ?? markup[3];
    if (body === undefined) continue;
    const isOutput = markup[2] !== undefined;
    const bodyStart = (markup.index ?? 0) + 2;
    for (const found of body.matchAll(/(?<![\w.\]])files\s*\[/g)) {
      const open = (found.index ?? 0) + found[0].length;
      const close = closingBracket(body, open);
      if (close === undefined) continue;
      const inside = body.slice(open, close).trim();
      const written = `files[${inside}]`;
      const offset = bodyStart + (found.index ?? 0);
      const literal = /^(["'])((?:(?!\1).)*)\1/.exec(inside);
      if (literal) {
        const rest = inside.slice(literal[0].length).trim();
        if (rest !== '') reads.push({ kind: 'operator', first: literal[0], written, offset });
        // Undefined is an error only where it is printed; `if`, `assign` and `| default` take it.
        else reads.push({ kind: 'literal', name: literal[2] ?? '', written, offset, strict: isOutput && !/\|\s*default\b/.test(body) });
      } else if (/^[A-Za-z_][\w-]*(\s*\.\s*[\w-]+|\s*\[[^\]]*\])*$/.test(inside)) {
        reads.push({ kind: 'computed', key: inside, written, offset });
      } else {
        const first = /^[A-Za-z_][\w.-]*|^\S+/.exec(inside)?.[0] ?? inside;
        reads.push({ kind: 'operator', first, written, offset });
      }
    }
  }
  return reads;
}

/** Every `lookup files NAME` and `files.[NAME]` inside Handlebars markup. */
function handlebarsFileReads(text: string): FileRead[] {
  const reads: FileRead[] = [];
  for (const markup of text.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const body = markup[1] ?? '';
    const bodyStart = (markup.index ?? 0) + 2;
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
  return reads;
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

/** The file position of an offset in a template's text. */
function positionOf(template: TemplateText, offset: number): { file: string; line: number; column: number; pointer: string } {
  const before = template.text.slice(0, offset).split('\n');
  const position = { line: before.length, column: before[before.length - 1]!.length + 1 };
  return { file: template.origin.file, ...toFilePosition(template.origin, position), pointer: template.origin.pointer };
}
