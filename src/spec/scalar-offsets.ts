/**
 * Where each character of a scalar's value was written in the YAML source. A value is not its
 * source: folding joins lines, escapes (`\n`, `\t`, `\"`, `\u00e9`, `''`) change lengths and add line
 * breaks, block scalars drop their indentation. This decodes the scalar's source as the `yaml`
 * package does (compose/resolve-flow-scalar.js, resolve-block-scalar.js), keeping each character's
 * offset; the caller checks the decoded value equals the parsed one before trusting the offsets.
 */

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

/** The decoded value and, per UTF-16 unit of it, the source offset it came from. */
export interface DecodedScalar {
  value: string;
  offsets: number[];
}

class Output {
  value = '';
  offsets: number[] = [];
  push(text: string, offset: number): void {
    this.value += text;
    for (let i = 0; i < text.length; i++) this.offsets.push(offset);
  }
  /** Source characters copied as they are, from `offset` on. */
  copy(text: string, offset: number): void {
    this.value += text;
    for (let i = 0; i < text.length; i++) this.offsets.push(offset + i);
  }
}

/**
 * Decodes the scalar written at `text[start, end)` (`end` = the end of its value: after the closing
 * quote, or the last content line of a block scalar). Undefined unless it decodes to `expected`, the
 * value `yaml` parsed: offsets that might be wrong are not used.
 */
export function decodeScalar(text: string, start: number, end: number, style: ScalarStyle, expected: string): DecodedScalar | undefined {
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED') return blockScalar(text, start, end, style, expected);
  const decoded = flowScalar(text, start, end, style);
  return decoded?.value === expected ? decoded : undefined;
}

function flowScalar(text: string, start: number, end: number, style: ScalarStyle): DecodedScalar | undefined {
  switch (style) {
    case 'PLAIN':
      return unfold(text, start, end, false);
    case 'QUOTE_SINGLE':
      return text[start] === "'" && text[end - 1] === "'" && end - start >= 2 ? unfold(text, start + 1, end - 1, true) : undefined;
    case 'QUOTE_DOUBLE':
      return text[start] === '"' && text[end - 1] === '"' && end - start >= 2 ? doubleQuoted(text, start, end) : undefined;
    default:
      return undefined;
  }
}

/** Plain and single-quoted folding: each line trimmed, one break a space, N breaks N-1 newlines. */
function unfold(text: string, from: number, to: number, singleQuoted: boolean): DecodedScalar {
  const out = new Output();
  const emit = (lineFrom: number, lineTo: number): void => {
    for (let i = lineFrom; i < lineTo; i++) {
      const ch = text[i]!;
      out.push(ch, i);
      if (singleQuoted && ch === "'" && text[i + 1] === "'") i++;
    }
  };
  const lines: Array<[number, number]> = [];
  let lineStart = from;
  for (let i = from; i < to; i++) {
    if (text[i] === '\n') {
      lines.push([lineStart, i > lineStart && text[i - 1] === '\r' ? i - 1 : i]);
      lineStart = i + 1;
    }
  }
  lines.push([lineStart, to]);
  if (lines.length === 1) {
    emit(from, to);
    return out;
  }
  const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';
  const trimEnd = (a: number, b: number): number => {
    while (b > a && isBlank(text[b - 1])) b--;
    return b;
  };
  const trimStart = (a: number, b: number): number => {
    while (a < b && isBlank(text[a])) a++;
    return a;
  };
  const [firstFrom, firstTo] = lines[0]!;
  emit(firstFrom, trimEnd(firstFrom, firstTo));
  let sep = ' ';
  let sepOffset = firstTo;
  for (let n = 1; n < lines.length - 1; n++) {
    const [a, b] = lines[n]!;
    const contentFrom = trimStart(a, b);
    const contentTo = trimEnd(contentFrom, b);
    if (contentFrom === contentTo) {
      if (sep === '\n') out.push('\n', a - 1);
      else {
        sep = '\n';
        sepOffset = a - 1;
      }
    } else {
      out.push(sep, sepOffset);
      emit(contentFrom, contentTo);
      sep = ' ';
      sepOffset = b;
    }
  }
  const [lastFrom, lastTo] = lines[lines.length - 1]!;
  out.push(sep, sepOffset);
  emit(trimStart(lastFrom, lastTo), lastTo);
  return out;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\', '\t': '\t',
};

function doubleQuoted(text: string, start: number, end: number): DecodedScalar | undefined {
  const out = new Output();
  const last = end - 1;
  for (let i = start + 1; i < last; i++) {
    const ch = text[i]!;
    if (ch === '\r' && text[i + 1] === '\n') continue;
    if (ch === '\n') {
      // A break folds to a space, N breaks to N-1 newlines; the next line's indentation is dropped.
      const breakAt = i;
      let fold = '';
      let next = text[i + 1];
      while (next === ' ' || next === '\t' || next === '\n' || next === '\r') {
        if (next === '\r' && text[i + 2] !== '\n') break;
        if (next === '\n') fold += '\n';
        i++;
        next = text[i + 1];
      }
      out.push(fold || ' ', breakAt);
    } else if (ch === '\\') {
      const escapeAt = i;
      let next = text[++i];
      if (next === undefined) return undefined;
      const code = ESCAPES[next];
      if (code) out.push(code, escapeAt);
      else if (next === '\n' || (next === '\r' && text[i + 1] === '\n')) {
        if (next === '\r') i++;
        next = text[i + 1];
        while (next === ' ' || next === '\t') next = text[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = text.slice(i + 1, i + 1 + length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        try {
          out.push(String.fromCodePoint(parseInt(hex, 16)), escapeAt);
        } catch {
          return undefined;
        }
        i += length;
      } else return undefined;
    } else if (ch === ' ' || ch === '\t') {
      // Whitespace before a line break is dropped.
      const blankAt = i;
      let next = text[i + 1];
      while (next === ' ' || next === '\t') next = text[++i + 1];
      if (next !== '\n' && !(next === '\r' && text[i + 2] === '\n')) out.copy(text.slice(blankAt, i + 1), blankAt);
    } else out.push(ch, i);
  }
  return out;
}

/**
 * Block scalars: the header line (`|`, `>-`, `|2+` and a comment), then content lines. The
 * indentation removed is the first content line's, or the header's indicator over the parent's
 * (not known here: each that fits is tried). Chomping changes only the trailing line breaks, which
 * are compared but not mapped.
 */
function blockScalar(text: string, start: number, end: number, style: 'BLOCK_LITERAL' | 'BLOCK_FOLDED', expected: string): DecodedScalar | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd === -1 || headerEnd >= end) return undefined;
  const explicit = Number(/^[|>][+-]?([1-9]?)/.exec(text.slice(start, headerEnd))?.[1] || 0);
  const lines: BlockLine[] = [];
  let lineStart = headerEnd + 1;
  for (let i = lineStart; i <= end; i++) {
    if (i === end || text[i] === '\n') {
      let indent = 0;
      while (lineStart + indent < i && text[lineStart + indent] === ' ') indent++;
      lines.push({ from: lineStart, indent, to: i > lineStart && text[i - 1] === '\r' ? i - 1 : i });
      lineStart = i + 1;
    }
  }
  let lastContent = lines.length - 1;
  while (lastContent >= 0 && lines[lastContent]!.from + lines[lastContent]!.indent === lines[lastContent]!.to) lastContent--;
  if (lastContent < 0) return undefined;
  const content = lines.slice(0, lastContent + 1);
  const firstIndent = content.find((line) => line.from + line.indent < line.to)!.indent;
  const candidates = explicit === 0 ? [firstIndent] : Array.from({ length: Math.max(0, firstIndent - explicit + 1) }, (_, parent) => parent + explicit);
  for (const trimIndent of candidates) {
    const decoded = blockLines(text, content, trimIndent, style);
    const rest = expected.slice(decoded.value.length);
    if (expected.startsWith(decoded.value) && /^[\n ]*$/.test(rest)) {
      const last = decoded.offsets[decoded.offsets.length - 1] ?? start;
      for (let i = 0; i < rest.length; i++) decoded.offsets.push(last + 1);
      return { value: expected, offsets: decoded.offsets };
    }
  }
  return undefined;
}

interface BlockLine {
  from: number;
  /** Leading spaces. */
  indent: number;
  /** End of the line's content (before `\r\n`). */
  to: number;
}

/** The content lines of a block scalar up to its last non-empty one, as `yaml` joins them. */
function blockLines(text: string, lines: readonly BlockLine[], trimIndent: number, style: 'BLOCK_LITERAL' | 'BLOCK_FOLDED'): DecodedScalar {
  const out = new Output();
  let sep = '';
  let sepOffset = 0;
  let prevMoreIndented = false;
  let started = false;
  for (const line of lines) {
    const contentFrom = line.from + Math.min(line.indent, trimIndent);
    const isEmpty = line.from + line.indent === line.to;
    if (!started && isEmpty) {
      // Leading empty lines are kept, with what indentation they have past the content's.
      out.copy(text.slice(contentFrom, line.to), contentFrom);
      out.push('\n', line.to);
      continue;
    }
    started = true;
    if (style === 'BLOCK_LITERAL') {
      out.push(sep, sepOffset);
      out.copy(text.slice(contentFrom, line.to), contentFrom);
      sep = '\n';
    } else if (line.indent > trimIndent || text[line.from + line.indent] === '\t') {
      // More-indented lines of a folded scalar keep their line breaks.
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      out.push(sep, sepOffset);
      out.copy(text.slice(contentFrom, line.to), contentFrom);
      sep = '\n';
      prevMoreIndented = true;
    } else if (isEmpty) {
      if (sep === '\n') out.push('\n', line.from);
      else sep = '\n';
    } else {
      out.push(sep, sepOffset);
      out.copy(text.slice(contentFrom, line.to), contentFrom);
      sep = ' ';
      prevMoreIndented = false;
    }
    sepOffset = line.to;
  }
  return out;
}
