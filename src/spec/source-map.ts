import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import { fromPointer } from './pointer.js';
import { isPairAt } from './text-encoding.js';
import { decodeScalar, type ScalarStyle } from './scalar-offsets.js';
import { yamlLib } from './yaml-lib.js';
import type { SourceOrigin } from './resolved.js';

/** A 1-based line and column in the SOP file. */
export interface Position {
  line: number;
  column: number;
}

interface Found {
  node: Node | undefined;
  pair: Pair | undefined;
  /** False when the pointer went further than the document: `node` is then the deepest ancestor found. */
  exact: boolean;
}

/**
 * Maps JSON pointers into the parsed document back to the YAML source: where a value starts, where
 * its key starts (unknown fields point at the key), and where a template's text starts.
 */
export class SourceMap {
  private readonly pairsByMap = new WeakMap<YAMLMap, Map<string, Pair>>();

  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
  ) {
    this.hasPairs = /[\uD800-\uDBFF]/.test(text);
  }

  /** Whether the text has characters past U+FFFF (two UTF-16 units each), whose columns are counted. */
  private readonly hasPairs: boolean;
  /** Where each such character starts, by the offset of its line's start: found once per line. */
  private readonly pairsByLine = new Map<number, number[]>();

  /** Line and column (in characters, see `characterColumn`) of an offset in the file. */
  positionOf(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    if (!this.hasPairs) return { line, column: col };
    // Each character of two units before the offset is one column, not two; a long line is scanned
    // once, however many errors it has.
    const lineStart = offset - col + 1;
    let pairs = this.pairsByLine.get(lineStart);
    if (!pairs) {
      const lineEnd = this.text.indexOf('\n', lineStart);
      pairs = [];
      for (let index = lineStart, end = lineEnd === -1 ? this.text.length : lineEnd; index < end; index++) {
        if (isPairAt(this.text, index)) pairs.push(index++);
      }
      this.pairsByLine.set(lineStart, pairs);
    }
    // How many pairs end before the offset (binary search over their starts).
    let low = 0;
    let high = pairs.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((pairs[middle] as number) + 1 < offset) low = middle + 1;
      else high = middle;
    }
    return { line, column: col - low };
  }

  /**
   * Where the value at `pointer` starts (or its key with `at: 'key'`). A pointer that goes past the
   * document (a missing required field) gives the position of the deepest mapping that exists.
   */
  locate(pointer: string, at: 'value' | 'key' = 'value'): Position {
    const found = this.find(pointer);
    const target = at === 'key' && found.exact && found.pair && isNodeWithRange(found.pair.key) ? found.pair.key : found.node;
    const offset = target && hasRange(target) ? target.range[0] : 0;
    return this.positionOf(offset);
  }

  /** The source text of a scalar (as written, e.g. `1.0` for a value YAML read as the number 1). */
  sourceText(pointer: string): string | undefined {
    const { node, exact } = this.find(pointer);
    if (!exact || !node || !yamlLib().isScalar(node) || !hasRange(node)) return undefined;
    return this.text.slice(node.range[0], node.range[1]);
  }

  /** The source text between two offsets. */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  /** The source text of a node, as written. */
  textOf(node: Node): string | undefined {
    return hasRange(node) ? this.text.slice(node.range[0], node.range[1]) : undefined;
  }

  /**
   * Where the text of the scalar at `pointer` starts, as a template origin: after the quote of a
   * quoted scalar, on the next line at the content's indentation for a block scalar (`|`, `>`).
   */
  origin(pointer: string, file: string): SourceOrigin {
    const { node, exact } = this.find(pointer);
    if (!exact || !node || !yamlLib().isScalar(node) || !hasRange(node)) {
      return { file, ...this.locate(pointer), pointer, lineOffset: 0 };
    }
    const start = node.range[0];
    const position = this.positionOf(start);
    let origin: SourceOrigin;
    if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
      origin = { file, line: position.line, column: position.column + 1, pointer, lineOffset: 0 };
    } else if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
      origin = { file, line: position.line, column: this.blockIndentation(start, node.range[1]) + 1, pointer, lineOffset: 1 };
    } else {
      origin = { file, line: position.line, column: position.column, pointer, lineOffset: 0 };
    }
    const runs = typeof node.value === 'string' ? this.runsOf(node.value, start, node.range[1], node.type, origin) : undefined;
    return runs ? { ...origin, runs } : origin;
  }

  /**
   * The runs of a scalar's value (see `SourceOrigin.runs`), or undefined when the value's lines and
   * columns are the source's as `origin` places them (or the value cannot be mapped for sure).
   */
  private runsOf(value: string, start: number, end: number, style: string | undefined, origin: SourceOrigin): SourceOrigin['runs'] {
    // An offset per character: a huge inline template (up to the 8 MB file cap) keeps its start only.
    if (!style || !SCALAR_STYLES.has(style) || end - start > MAX_MAPPED_SCALAR) return undefined;
    if (writtenAsRead(this.text, start, end, style, value)) return undefined;
    const decoded = decodeScalar(this.text, start, end, style as ScalarStyle, value);
    if (!decoded) return undefined;
    const runs: Array<[number, number, number, number]> = [];
    let line = 1;
    let column = 1;
    let previous = -2;
    let simple = true;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '\n') {
        line++;
        column = 1;
        previous = -2;
        continue;
      }
      const offset = decoded.offsets[i]!;
      // A run ends where the value's characters stop following each other in the source (or a
      // source line ends: a fold's space stands for the line break).
      if (offset !== previous + 1 || this.text[previous] === '\n' || this.text[previous] === '\r') {
        const at = this.positionOf(offset);
        runs.push([line, column, at.line, at.column]);
        // The plain mapping: text line N is file line N after the first, columns as written.
        const plainLine = origin.line + origin.lineOffset + line - 1;
        const plainColumn = line === 1 || origin.lineOffset > 0 ? origin.column + column - 1 : column;
        if (at.line !== plainLine || at.column !== plainColumn) simple = false;
      }
      previous = offset;
      // The second half of an emoji is no column of its own (columns count characters).
      if (!isPairAt(value, i - 1)) column++;
    }
    return simple ? undefined : runs;
  }

  /**
   * The content lines of the block scalar (`|`, `>`) at `pointer`, each with its 1-based line and
   * the column its text starts at (blank lines left out); undefined when the value is no block scalar.
   */
  blockLines(pointer: string): Array<{ line: number; column: number; text: string }> | undefined {
    const { node, exact } = this.find(pointer);
    if (!exact || !node || !yamlLib().isScalar(node) || !hasRange(node) || (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED')) return undefined;
    const header = this.text.indexOf('\n', node.range[0]);
    if (header === -1 || header >= node.range[1]) return [];
    const lines: Array<{ line: number; column: number; text: string }> = [];
    let at = header + 1;
    while (at < node.range[1]) {
      const end = this.text.indexOf('\n', at);
      const stop = end === -1 || end > node.range[1] ? node.range[1] : end;
      const raw = this.text.slice(at, stop).replace(/\r$/, '');
      const text = raw.trimStart();
      if (text !== '') lines.push({ line: this.positionOf(at).line, column: raw.length - text.length + 1, text });
      at = stop + 1;
    }
    return lines;
  }

  /** Indentation of the first non-blank content line of a block scalar starting at `start`. */
  private blockIndentation(start: number, end: number): number {
    const newline = this.text.indexOf('\n', start);
    if (newline === -1) return 0;
    const lines = this.text.slice(newline + 1, Math.max(end, newline + 1)).split('\n');
    const first = lines.find((line) => line.trim() !== '') ?? '';
    return first.length - first.trimStart().length;
  }

  private find(pointer: string): Found {
    let node: Node | undefined = resolveAlias(this.document, this.document.contents ?? undefined);
    let pair: Pair | undefined;
    for (const segment of fromPointer(pointer)) {
      let next: Node | undefined;
      let nextPair: Pair | undefined;
      if (yamlLib().isMap(node)) {
        nextPair = this.pairOf(node, segment);
        next = nextPair ? (nextPair.value as Node | null) ?? (nextPair.key as Node) : undefined;
      } else if (yamlLib().isSeq(node) && /^\d+$/.test(segment)) {
        next = (node.items[Number(segment)] as Node | undefined) ?? undefined;
      }
      if (!next) return { node, pair, exact: false };
      node = resolveAlias(this.document, next);
      pair = nextPair;
    }
    return { node, pair, exact: true };
  }

  /** The pair of `key` in `map`: small maps (a role's, an action's) are scanned, larger ones indexed once. */
  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    if (map.items.length > SCANNED_MAP_SIZE) return this.pairsOf(map).get(key);
    // With duplicate keys the document is refused anyway; the first is kept for positions.
    return (map.items as Pair[]).find((pair) => keyText(pair) === key);
  }

  private pairsOf(map: YAMLMap): Map<string, Pair> {
    let pairs = this.pairsByMap.get(map);
    if (!pairs) {
      pairs = new Map();
      for (const pair of map.items) {
        const key = keyText(pair as Pair);
        if (!pairs.has(key)) pairs.set(key, pair as Pair);
      }
      this.pairsByMap.set(map, pairs);
    }
    return pairs;
  }
}

/**
 * A flow scalar written on one line exactly as it reads (no escape, no `''`, no fold): each character
 * is where `origin` places it, so it needs no decoding (most templates of an SOP are such).
 */
function writtenAsRead(text: string, start: number, end: number, style: string, value: string): boolean {
  const quote = style === 'QUOTE_SINGLE' || style === 'QUOTE_DOUBLE' ? 1 : style === 'PLAIN' ? 0 : undefined;
  if (quote === undefined || value.includes('\n') || value.includes('\r')) return false;
  return end - start === value.length + 2 * quote && text.startsWith(value, start + quote);
}

/** Longest scalar source whose characters are mapped one by one (1 MiB). */
const MAX_MAPPED_SCALAR = 1 << 20;
const SCALAR_STYLES = new Set(['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED']);

/** Maps of up to this many keys are searched by a scan (no index built for each role and action). */
const SCANNED_MAP_SIZE = 16;

function keyText(pair: Pair): string {
  return yamlLib().isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function resolveAlias(document: Document, node: Node | undefined): Node | undefined {
  // Aliases point at their anchor; a value read through an alias is located at the anchor.
  let current = node;
  for (let hops = 0; current && yamlLib().isAlias(current) && hops < 100; hops++) current = current.resolve(document);
  return current;
}

function hasRange(node: Node): node is Node & { range: [number, number, number] } {
  return Array.isArray(node.range);
}

function isNodeWithRange(value: unknown): value is Node & { range: [number, number, number] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as Node).range);
}

