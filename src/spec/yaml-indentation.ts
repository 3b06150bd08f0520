import { isMap, isSeq, visit, type CST, type Document, type Node, type YAMLError } from 'yaml';
import { plural, type Diagnostic } from '../errors/index.js';
import type { SourceMap } from './source-map.js';
import { keyOutsideEmptyKey } from './yaml-empty-key.js';

/**
 * The parser's errors that mean "this line is indented wrongly". The parser places them at the end
 * of the node before (often a blank line above), and reports the lines after the first mistake in
 * the same mapping again; these are placed at the line to change and reported once per collection.
 */
export function isIndentationError(error: YAMLError, text: string): boolean {
  // Not "Flow map in block collection must be sufficiently indented": an unclosed bracket, as often as not.
  if (error.code === 'BAD_INDENT') return /^All (mapping|sequence) items/.test(error.message);
  if (error.code === 'MULTILINE_IMPLICIT_KEY') return true;
  // `a: b: c` on one line is a nested mapping, not a misplaced line; a value whose key runs onto the next line (`id: x` + a deeper `prompt:`) is.
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY') return !/compact mappings/.test(error.message) || keyRunsOntoNextLine(text, error.pos[0]);
  return error.code === 'MISSING_CHAR' && /Sequence item without - indicator/.test(error.message);
}

/** Whether the key starting at `offset` (up to its `: `) takes more than one line. */
function keyRunsOntoNextLine(text: string, offset: number): boolean {
  const colon = /:(?:\s|$)/g;
  colon.lastIndex = offset;
  const end = colon.exec(text)?.index ?? text.length;
  return text.slice(offset, end).includes('\n');
}

/** A line-starting token of a block collection: a mapping key or a list's `-`. */
interface IndentAnchor {
  offset: number;
  label: string;
}

/** The text, its token tree and the document built from it. */
export interface ParsedYaml {
  text: string;
  tokens: readonly CST.Token[];
  document: Document;
  sourceMap: SourceMap;
}

export interface IndentationProblem {
  diagnostic: Diagnostic;
  /** Other mistakes in `span` the parser reads into this one, each its own line to change (the other slipped `-` of a list). */
  more?: Diagnostic[];
  /** The collection the misplaced line went into: later errors in it follow from this one. */
  group: unknown;
  /** The text the misplaced entry spans: later errors in it follow from this one too. */
  span: [number, number];
}

/**
 * Reads indentation errors into diagnostics at the first character of the misplaced line, naming
 * the columns of the keys and `-` items above it. The document is indexed once, on the first error:
 * a large file may hold many.
 */
export function indentationReader(parsed: ParsedYaml, file: string): (error: YAMLError) => IndentationProblem {
  const { document, tokens, sourceMap, text } = parsed;
  let anchors: PlacedAnchor[] | undefined;
  let entries: Map<number, Entry> | undefined;
  let dashOffsets: Map<number, number> | undefined;
  let withStrays: PlacedAnchor[] | undefined;
  const placed = (strays: boolean): PlacedAnchor[] => blockAnchors(tokens, strays).map((anchor) => ({ ...anchor, ...sourceMap.positionOf(anchor.offset) }));
  return (error) => {
    anchors ??= placed(false);
    entries ??= entriesByStart(document);
    const offset = misplacedTokenOffset(error, text);
    const at = sourceMap.positionOf(offset);
    // Only tokens before the error count: a multi-line key (`id: summarize` + a deeper `prompt:`) starts at the error.
    const label = tokenLabel(text, offset);
    const open = openAnchors(anchors, Math.min(offset, error.pos[0]));
    if (!label.startsWith('-')) {
      dashOffsets ??= dashOffsetCounts(anchors);
      const slip = slippedDash(open, at.column, dashOffsets);
      // The items after a slipped `-` are read from every `-`: the parser leaves some out of its lists.
      if (slip) return slippedDashProblem(slip, { label, line: at.line, column: at.column }, (withStrays ??= placed(true)), text, file, (at) => sourceMap.positionOf(at));
    }
    const columns = nearestColumns(open, at.column, !label.startsWith('-'));
    // The entry the error is about: a multi-line key starts at the error, a misplaced line at its first token.
    const entry = entries.get(/\s/.test(text[error.pos[0]] ?? ' ') ? offset : error.pos[0]);
    const group = entry?.holder ?? `offset ${offset}`;
    const span: [number, number] = [offset, Math.max(offset + 1, entry?.end ?? 0)];
    const above = open[0];
    const outside = above && keyOutsideEmptyKey(text, { label, line: at.line, column: at.column }, above, anchors[lastIndexBefore(anchors, above.offset)], file);
    if (outside) return { group, span, diagnostic: outside };
    if (columns === undefined) {
      return { group, span, diagnostic: { code: 'YAML_SYNTAX', severity: 'error', file, ...at, message: `YAML syntax error: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        hint: 'check the indentation of this line and the one above it' } };
    }
    const expected = columns.found.map(({ column, label, line }) => `column ${column}, as \`${label}\` on line ${line}`).join(', or ');
    const linesUp = columns.dashLine === undefined ? 'with no key or `-` item above it' : `with the \`-\` on line ${columns.dashLine}, where only a \`-\` item can go`;
    return {
      group,
      span,
      diagnostic: { code: 'YAML_SYNTAX', severity: 'error', file, ...at, message: `\`${label}\` at column ${at.column} lines up ${linesUp}`,
        expected, hint: 'indent the keys of one mapping, and the `-` items of one list, by the same number of spaces' },
    };
  };
}

/**
 * Where the misplaced line starts. The parser names the end of the node before it (blank space,
 * maybe a blank line or a comment) or, for a value that became a multi-line key (`- id: x` and a
 * deeper `prompt:` under it), the value: then it is the first token of the next line.
 */
function misplacedTokenOffset(error: YAMLError, text: string): number {
  let offset = error.pos[0];
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const startsItsLine = text.slice(lineStart, offset).trim() === '';
  if ((error.code === 'MULTILINE_IMPLICIT_KEY' || error.code === 'BLOCK_AS_IMPLICIT_KEY') && !startsItsLine) {
    const nextLine = text.indexOf('\n', offset);
    if (nextLine !== -1) offset = nextLine;
  }
  return nextTokenOffset(text, offset);
}

/** The first character at or after `offset` that is neither blank space nor in a comment. */
function nextTokenOffset(text: string, offset: number): number {
  let index = offset;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '#' && (index === 0 || /\s/.test(text[index - 1]!))) {
      const end = text.indexOf('\n', index);
      if (end === -1) return offset;
      index = end;
    } else if (!/\s/.test(char)) return index;
    index += 1;
  }
  return offset;
}

/** `watch` of `watch: [a]`, `- id` of `- id: x`: the line's text up to its first `: `, shortened. */
function tokenLabel(text: string, offset: number): string {
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(offset, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, '');
  const key = line.split(/:(?:\s|$)/)[0]!.trimEnd();
  return key.length > 40 ? `${key.slice(0, 37)}...` : key;
}

/**
 * Keys and `-` items of the block collections, in the order they are written (flow collections and
 * scalars hold none). `strayDashes`: with the `-` the parser could not place in a list (an error
 * token, after a slipped `-`), as items too.
 */
function blockAnchors(tokens: readonly CST.Token[], strayDashes = false): IndentAnchor[] {
  const anchors: IndentAnchor[] = [];
  const walk = (token: CST.Token | undefined | null): void => {
    if (!token) return;
    if (token.type === 'document') return walk(token.value);
    if (strayDashes && token.type === 'error' && token.source === '-') anchors.push({ offset: token.offset, label: '-' });
    if (token.type === 'block-map') {
      for (const item of token.items) {
        const explicit = item.start.find((part) => part.type === 'explicit-key-ind');
        if (explicit) anchors.push({ offset: explicit.offset, label: '?' });
        else if (item.key && 'offset' in item.key) anchors.push({ offset: item.key.offset, label: 'source' in item.key ? item.key.source : '' });
        walk(item.key);
        walk(item.value);
      }
    } else if (token.type === 'block-seq') {
      for (const item of token.items) {
        const dash = item.start.find((part) => part.type === 'seq-item-ind');
        if (dash) anchors.push({ offset: dash.offset, label: '-' });
        walk(item.value);
      }
    }
  };
  for (const token of tokens) walk(token);
  return anchors.sort((a, b) => a.offset - b.offset);
}

interface PlacedAnchor extends IndentAnchor {
  line: number;
  column: number;
}

/** Anchors looked at above an error at most: enough for any real nesting, and a bound for a file of thousands of errors. */
const MAX_ANCHORS_BACK = 1000;

/**
 * The keys and `-` items before `before` still open: the last one, then each one less indented, as
 * the parser nests them.
 */
function openAnchors(anchors: readonly PlacedAnchor[], before: number): PlacedAnchor[] {
  const open: PlacedAnchor[] = [];
  let smallest = Number.POSITIVE_INFINITY;
  const last = lastIndexBefore(anchors, before);
  for (let index = last; index >= 0 && index > last - MAX_ANCHORS_BACK && smallest > 1; index -= 1) {
    const anchor = anchors[index]!;
    if (anchor.column >= smallest) continue;
    smallest = anchor.column;
    open.push(anchor);
  }
  return open;
}

/**
 * The columns a line at `column` could have meant: of the `open` anchors above it, the nearest
 * deeper and the nearest shallower. Undefined when one is at `column` already: indentation is not
 * the problem; but for a key (`isKey`) at a `-`'s column, a list item's key pulled back two spaces
 * (`dashLine` names that `-`'s line).
 */
function nearestColumns(open: readonly PlacedAnchor[], column: number, isKey: boolean): { found: Array<{ column: number; label: string; line: number }>; dashLine: number | undefined } | undefined {
  const same = open.find((anchor) => anchor.column === column);
  const dashLine = isKey && same?.label === '-' ? same.line : undefined;
  if (open.length === 0 || (same !== undefined && dashLine === undefined)) return undefined;
  const deeper = open.filter((anchor) => anchor.column > column).at(-1);
  const shallower = open.find((anchor) => anchor.column < column);
  const found = [deeper, shallower]
    .filter((anchor) => anchor !== undefined)
    .map(({ column: at, label, line }) => ({ column: at, line, label: shortLabel(label) }));
  return found.length === 0 ? undefined : { found, dashLine };
}

function shortLabel(label: string): string {
  return label.length > 40 ? `${label.slice(0, 37)}...` : label;
}

/** A list item's `-` (with its first key, on its line) under the key holding the list. */
interface ItemStart {
  dash: PlacedAnchor;
  key: PlacedAnchor;
  parent: PlacedAnchor;
  /** The column the `-` would be at for its first key to line up with the key below it. */
  column: number;
}

/**
 * The `-` of a list item's first line, when that line is the one indented wrongly rather than the
 * key below it (`- id: x` one space off, `prompt:` right): the parser cannot tell, and names the
 * key below. It is the `-` when moving it would put it as far right of its list's key as the file's
 * other lists put theirs (`dashOffsets`: how many lists have their `-` N columns right of their
 * key; none: 2), and where it is now does not.
 */
function slippedDash(open: readonly PlacedAnchor[], column: number, dashOffsets: ReadonlyMap<number, number>): ItemStart | undefined {
  const [key, dash, parent] = open;
  if (!key || !dash || !parent || key.label === '-' || dash.label !== '-' || parent.label === '-' || dash.line !== key.line) return undefined;
  if (column === key.column || column <= dash.column) return undefined;
  const wanted = column - (key.column - dash.column);
  const usual = usualOffsets(dashOffsets, dash.column - parent.column);
  if (wanted < parent.column || !usual.has(wanted - parent.column) || usual.has(dash.column - parent.column)) return undefined;
  return { dash, key, parent, column: wanted };
}

/** The offsets of `-` from their list's key the most lists have, the list at `own` left out. */
function usualOffsets(counts: ReadonlyMap<number, number>, own: number): Set<number> {
  const others = new Map(counts);
  others.set(own, (others.get(own) ?? 1) - 1);
  const most = Math.max(0, ...others.values());
  return most === 0 ? new Set([2]) : new Set([...others].filter(([, count]) => count === most).map(([offset]) => offset));
}

/** For each N, how many block lists have their first `-` N columns right of the key holding the list (0: at its column). */
function dashOffsetCounts(anchors: readonly PlacedAnchor[]): Map<number, number> {
  const counts = new Map<number, number>();
  const stack: PlacedAnchor[] = [];
  for (const anchor of anchors) {
    const isDash = anchor.label === '-';
    // A key closes everything at its column or deeper; a `-` what is deeper and the `-` before it in its list.
    while (stack.length > 0 && (stack.at(-1)!.column > anchor.column || (stack.at(-1)!.column === anchor.column && (!isDash || stack.at(-1)!.label === '-')))) stack.pop();
    const above = stack.at(-1);
    if (isDash && above && above.label !== '-') counts.set(anchor.column - above.column, (counts.get(anchor.column - above.column) ?? 0) + 1);
    stack.push(anchor);
  }
  return counts;
}

/**
 * Where the list of a slipped `-` ends as it was meant: at the next key or `-` no deeper than the
 * list's key. The parser reads the items after the slipped one (at the right column) as misplaced
 * too: their errors follow from this one.
 */
function listEnd(anchors: readonly PlacedAnchor[], slip: ItemStart): number {
  for (let index = lastIndexBefore(anchors, slip.dash.offset) + 2; index < anchors.length; index += 1) {
    if (anchors[index]!.column <= slip.parent.column) return anchors[index]!.offset;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The diagnostics of a list item's `-` line indented wrongly, found from the key below it
 * (`below`), and of the list's other items whose `-` is off too: the parser reads those into the
 * first one's mistake, so they showed one fix at a time.
 */
function slippedDashProblem(slip: ItemStart, below: Place, anchors: readonly PlacedAnchor[], text: string, file: string, positionOf: PositionOf): IndentationProblem {
  const end = listEnd(anchors, slip);
  return {
    group: `list at ${slip.dash.offset}`,
    span: [slip.dash.offset, end],
    diagnostic: slippedDashDiagnostic(slip, slip.dash, { key: slip.key, below, keysAt: below.column }, text, file),
    more: otherSlips(slip, anchors, end, text, file, positionOf),
  };
}

/** A line's first token, where it is. */
interface Place {
  label: string;
  line: number;
  column: number;
}

type PositionOf = (offset: number) => { line: number; column: number };

/** Other slipped items of one list reported with the first, at the most; the last of them counts the rest. */
const MORE_SLIPS_SHOWN = 20;

/**
 * The items after `slip` in its list (up to `end`) whose `-` is not at the column meant for the
 * list's items, each at its `-`. Its items are the `-` right of the list's key and left of where
 * their keys are meant to start (a `-` further right is of a list inside an item).
 */
function otherSlips(slip: ItemStart, anchors: readonly PlacedAnchor[], end: number, text: string, file: string, positionOf: PositionOf): Diagnostic[] {
  const keysAt = slip.column + (slip.key.column - slip.dash.column);
  const found: Diagnostic[] = [];
  let left = 0;
  for (let index = lastIndexBefore(anchors, slip.dash.offset) + 2; index < anchors.length && anchors[index]!.offset < end; index += 1) {
    const dash = anchors[index]!;
    if (dash.label !== '-' || dash.column === slip.column || dash.column >= keysAt) continue;
    if (found.length === MORE_SLIPS_SHOWN) {
      left += 1;
      continue;
    }
    const key = anchors[index + 1];
    const onItsLine = key !== undefined && key.label !== '-' && key.line === dash.line ? key : undefined;
    const below = onItsLine ? keyBelow(dash, anchors, index, end, text, positionOf) : undefined;
    found.push(slippedDashDiagnostic(slip, dash, { key: onItsLine, below, keysAt }, text, file));
  }
  const last = found.at(-1);
  if (last && left > 0) last.hint = `${last.hint} (${plural(left, 'more item')} of this list below ${left === 1 ? 'is' : 'are'} off too: validate again once these are moved)`;
  return found;
}

/**
 * The key on the line below a `-` line (the `index`-th anchor), before `end`: the next key, or a
 * `key:` the parser did not read as one (it made the `-` line's value a key running onto it).
 */
function keyBelow(dash: PlacedAnchor, anchors: readonly PlacedAnchor[], index: number, end: number, text: string, positionOf: PositionOf): Place | undefined {
  let next = index + 1;
  while (next < anchors.length && anchors[next]!.line === dash.line) next += 1;
  const anchor = anchors[next];
  const lineBelow = nextTokenOffset(text, text.indexOf('\n', dash.offset) + 1);
  const offset = anchor === undefined || lineBelow < anchor.offset ? lineBelow : anchor.offset;
  if (offset >= end || text[offset] === '-' || !/^[^\s#'"{}[\]][^\n:]*:(?:\s|$)/.test(text.slice(offset, offset + 200))) return undefined;
  return { label: tokenLabel(text, offset), ...positionOf(offset) };
}

/**
 * The diagnostic of a list item whose `-` is at `dash`, meant at `slip.column`. When its first key
 * (`key`, on the `-` line) is out of line with the key below it, and that one is where the item's
 * keys are meant to start (`keysAt`), only the `-` line moves; else the whole item does.
 */
function slippedDashDiagnostic(slip: ItemStart, dash: PlacedAnchor, item: { key: PlacedAnchor | undefined; below: Place | undefined; keysAt: number }, text: string, file: string): Diagnostic {
  const { parent, column } = slip;
  const moves = column - dash.column;
  const spaces = `${plural(Math.abs(moves), 'space')} ${moves > 0 ? 'right' : 'left'}`;
  const expected = `the \`-\` at column ${column}, ${column - parent.column} right of \`${shortLabel(parent.label)}\` on line ${parent.line}, as the file's other lists are indented`;
  const at = { code: 'YAML_SYNTAX', severity: 'error', file, line: dash.line, column: dash.column } as const;
  const { key, below } = item;
  if (key && below && below.column === item.keysAt && below.column !== key.column) {
    const keyLabel = tokenLabel(text, key.offset);
    return { ...at, message: `\`- ${keyLabel}\` at column ${dash.column} puts \`${keyLabel}\` out of line with \`${below.label}\` below it (column ${below.column}, line ${below.line})`,
      expected, hint: `move this line ${spaces}: the keys of one list item start at the same column` };
  }
  return { ...at, message: `\`${tokenLabel(text, dash.offset)}\` at column ${dash.column} is out of line with the other items of its list (the \`-\` on line ${slip.dash.line} is meant at column ${column})`,
    expected, hint: `move this item ${spaces}, its \`-\` line and the lines below it: the \`-\` items of one list start at the same column` };
}

/** Index of the last anchor before `offset` (anchors are in offset order), -1 when none is. */
function lastIndexBefore(anchors: readonly PlacedAnchor[], offset: number): number {
  let low = 0;
  let high = anchors.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (anchors[middle]!.offset < offset) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** A key (with its value) or list item, the mapping or list holding it, and where it ends. */
interface Entry {
  holder: unknown;
  end: number;
}

/** The document's keys and list items by the offset they start at. */
function entriesByStart(document: Document): Map<number, Entry> {
  const entries = new Map<number, Entry>();
  const add = (node: unknown, holder: unknown, end: number | undefined): void => {
    const start = node && typeof node === 'object' ? (node as Node).range?.[0] : undefined;
    if (start !== undefined && end !== undefined && !entries.has(start)) entries.set(start, { holder, end });
  };
  visit(document, {
    Map(_, map) {
      if (!isMap(map)) return;
      for (const pair of map.items) add(pair.key, map, (pair.value as Node | null)?.range?.[1] ?? (pair.key as Node | null)?.range?.[1]);
    },
    Seq(_, seq) {
      if (!isSeq(seq)) return;
      for (const item of seq.items) add(item, seq, (item as Node | null)?.range?.[1]);
    },
  });
  return entries;
}
