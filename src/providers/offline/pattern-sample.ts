/**
 * Builds a string matching a simple regular expression (the `pattern` keyword), reusing the
 * characters of a plausible source text where the pattern allows them, so `^[a-z_]+$` with the
 * source `todo_cli_title` gives `todo_cli_title` rather than `a`. Supports literals, escapes,
 * character classes, `.`, groups, alternation and quantifiers; lookarounds and backreferences
 * make it give up (undefined), and the caller falls back to something else.
 */

interface CharAtom {
  kind: 'char';
  matches: (char: string) => boolean;
  /** Whether the class accepts any ASCII letter. */
  takesLetters: boolean;
  representative: string;
  literal: string | undefined;
}
interface GroupAtom {
  kind: 'group';
  alternatives: Sequence[];
}
type Atom = CharAtom | GroupAtom;
interface Piece {
  atom: Atom;
  min: number;
  max: number;
}
type Sequence = Piece[];

const REPRESENTATIVES = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1023456789_- .:/@';

class Unsupported extends Error {}

function charAtom(source: string, literal?: string): CharAtom {
  let compiled: RegExp;
  try {
    compiled = new RegExp(`^${source}$`, 'u');
  } catch {
    throw new Unsupported(source);
  }
  const matches = (char: string): boolean => compiled.test(char);
  const representative = literal ?? [...REPRESENTATIVES].find(matches) ?? findAny(matches);
  if (representative === undefined) throw new Unsupported(source);
  const takesLetters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].some(matches);
  return { kind: 'char', matches, takesLetters, representative, literal };
}

function findAny(matches: (char: string) => boolean): string | undefined {
  for (let code = 0x21; code < 0x3000; code += 1) {
    const char = String.fromCharCode(code);
    if (matches(char)) return char;
  }
  return undefined;
}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): Sequence[] {
    const alternatives = this.alternatives();
    if (this.at < this.text.length) throw new Unsupported('unbalanced');
    return alternatives;
  }

  private alternatives(): Sequence[] {
    const list: Sequence[] = [this.sequence()];
    while (this.text[this.at] === '|') {
      this.at += 1;
      list.push(this.sequence());
    }
    return list;
  }

  private sequence(): Sequence {
    const pieces: Sequence = [];
    while (this.at < this.text.length && this.text[this.at] !== '|' && this.text[this.at] !== ')') {
      const char = this.text[this.at];
      if (char === '^' || char === '$') {
        this.at += 1;
        continue;
      }
      const atom = this.atom();
      if (atom === undefined) continue;
      pieces.push({ atom, ...this.quantifier() });
    }
    return pieces;
  }

  private atom(): Atom | undefined {
    const char = this.text[this.at] ?? '';
    if (char === '(') {
      this.at += 1;
      if (this.text.startsWith('?:', this.at)) this.at += 2;
      else if (/^\?<[A-Za-z][\w$]*>/.test(this.text.slice(this.at))) this.at = this.text.indexOf('>', this.at) + 1;
      else if (this.text[this.at] === '?') throw new Unsupported('lookaround');
      const alternatives = this.alternatives();
      if (this.text[this.at] !== ')') throw new Unsupported('unclosed group');
      this.at += 1;
      return { kind: 'group', alternatives };
    }
    if (char === '[') {
      const end = this.classEnd(this.at);
      const source = this.text.slice(this.at, end + 1);
      this.at = end + 1;
      return charAtom(source);
    }
    if (char === '\\') {
      const next = this.text[this.at + 1] ?? '';
      if (/[1-9k]/.test(next)) throw new Unsupported('backreference');
      if (next === 'b' || next === 'B') {
        this.at += 2;
        return undefined;
      }
      const escape = /^\\(?:[pP]\{[^}]+\}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|.)/su.exec(
        this.text.slice(this.at),
      );
      const source = escape?.[0] ?? '\\';
      this.at += source.length;
      const literal = /^\\[^a-zA-Z0-9]$/.test(source) ? source.slice(1) : undefined;
      return charAtom(source, literal);
    }
    if (char === '.') {
      this.at += 1;
      return charAtom('.');
    }
    const codePoint = String.fromCodePoint(this.text.codePointAt(this.at) ?? 0);
    this.at += codePoint.length;
    if ('*+?{'.includes(codePoint) && codePoint !== '{') throw new Unsupported('dangling quantifier');
    return charAtom(codePoint.replace(/[{}]/g, '\\$&'), codePoint);
  }

  private classEnd(start: number): number {
    let index = start + 1;
    if (this.text[index] === '^') index += 1;
    if (this.text[index] === ']') index += 1;
    while (index < this.text.length) {
      if (this.text[index] === '\\') index += 2;
      else if (this.text[index] === ']') return index;
      else index += 1;
    }
    throw new Unsupported('unclosed class');
  }

  private quantifier(): { min: number; max: number } {
    const rest = this.text.slice(this.at);
    let match = /^([*+?])/.exec(rest);
    let bounds = { min: 1, max: 1 };
    if (match) {
      bounds = match[1] === '*' ? { min: 0, max: Infinity } : match[1] === '+' ? { min: 1, max: Infinity } : { min: 0, max: 1 };
    } else {
      match = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (!match) return bounds;
      const min = Number(match[1]);
      bounds = { min, max: match[2] === undefined ? min : match[3] ? Number(match[3]) : Infinity };
    }
    this.at += match[0].length;
    if (this.text[this.at] === '?' || this.text[this.at] === '+') this.at += 1;
    if (bounds.min > 4096) throw new Unsupported('huge repetition');
    return bounds;
  }
}

/** Emits text for a parsed pattern, consuming the source text where it fits. */
class Writer {
  private cursor = 0;
  private readonly chars: string[];
  constructor(source: string) {
    this.chars = [...source];
  }

  sequence(sequence: Sequence): string {
    return sequence.map((piece) => this.piece(piece)).join('');
  }

  private piece(piece: Piece): string {
    const { atom, min, max } = piece;
    if (atom.kind === 'group') {
      let out = '';
      for (let index = 0; index < min; index += 1) out += this.group(atom);
      // Optional repetitions only while they keep consuming the source text.
      for (let index = min; index < Math.min(max, 8) && this.startsGroup(atom); index += 1) {
        const before = this.cursor;
        const text = this.group(atom);
        if (this.cursor === before) break;
        out += text;
      }
      return out;
    }
    let out = '';
    let count = 0;
    const limit = Math.min(max, 64);
    // A class without letters (`\d`) skips the prose before its characters: `R\d+` on `item 2` takes the 2.
    if (atom.literal === undefined && !atom.takesLetters && limit > 0) {
      let next = this.cursor;
      while (next < this.chars.length && !atom.matches(this.chars[next] ?? '')) next += 1;
      if (next < this.chars.length) this.cursor = next;
    }
    while (count < limit && this.cursor < this.chars.length) {
      if (atom.literal !== undefined && count >= Math.max(min, 1)) break;
      const char = this.chars[this.cursor] ?? '';
      // Letters may change case to fit (`[a-z]+` on `Todo` gives `todo`).
      const taken = atom.matches(char) ? char : atom.literal === undefined ? [char.toLowerCase(), char.toUpperCase()].find(atom.matches) : undefined;
      if (taken === undefined) break;
      out += taken;
      this.cursor += 1;
      count += 1;
    }
    while (count < min) {
      out += atom.representative;
      count += 1;
    }
    return out;
  }

  private startsGroup(atom: GroupAtom): boolean {
    const next = this.chars[this.cursor];
    return (
      next !== undefined &&
      atom.alternatives.some((alternative) => {
        const first = alternative[0]?.atom;
        return first?.kind === 'char' && first.matches(next);
      })
    );
  }

  private group(atom: GroupAtom): string {
    const next = this.chars[this.cursor];
    const chosen =
      atom.alternatives.find((alternative) => {
        const first = alternative[0]?.atom;
        return next !== undefined && first?.kind === 'char' && first.matches(next);
      }) ?? atom.alternatives[0];
    return chosen ? this.sequence(chosen) : '';
  }
}

/** A string matching `pattern` built from `source`'s characters, or undefined if unsupported. */
export function samplePattern(pattern: string, source: string): string | undefined {
  try {
    const alternatives = new Parser(pattern).parse();
    const first = alternatives[0];
    if (!first) return '';
    return new Writer(source).sequence(first);
  } catch {
    // Unsupported syntax, or a pattern JavaScript itself rejects: the caller falls back.
    return undefined;
  }
}
