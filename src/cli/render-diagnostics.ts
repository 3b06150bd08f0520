import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { firstProblems, formatDiagnostic, moreProblems, type Diagnostic } from '../errors/index.js';
import { controlsMarked, textStart, unitIndexOfColumn } from '../spec/text-encoding.js';
import { withTypedHint } from '../runtime/resume-target.js';
import { secretsMaskedForFrame } from './frame-secrets.js';
import { sopCommandOfProcess } from './invocation.js';

/** Files larger than this get no code frame (reading them is not worth it for a hint). */
const MAX_FRAME_SOURCE_BYTES = 1_000_000;

export { moreProblems, SHOWN_PROBLEMS } from '../errors/index.js';

/**
 * `diagnostics` as people read them, capped at SHOWN_PROBLEMS (errors before warnings, printed in
 * file order) and a last line counting the rest: the one cap of every printed problem list.
 */
export async function renderProblems(renderer: DiagnosticRenderer, diagnostics: readonly Diagnostic[]): Promise<string[]> {
  const { shown, rest } = firstProblems(diagnostics);
  const lines = await Promise.all(shown.map((diagnostic) => renderer.render(diagnostic)));
  return rest.length > 0 ? [...lines, moreProblems(rest)] : lines;
}

/**
 * Renders diagnostics for people: `file:line:col: error CODE: message`, the expected/hint lines, then
 * a few lines of the file around the position. Sources are read once per file.
 */
export class DiagnosticRenderer {
  private readonly sources = new Map<string, string | undefined>();
  private codeFrame: typeof import('@babel/code-frame').codeFrameColumns | undefined;

  /** `sopCommand`: how the commands of hints type `sop` (validation's hints name them with the default word). */
  constructor(
    private readonly cwd: string = process.cwd(),
    private readonly sopCommand: string = sopCommandOfProcess(),
  ) {}

  async render(diagnostic: Diagnostic): Promise<string> {
    const text = formatDiagnostic(withTypedHint(diagnostic, this.sopCommand));
    const frame = await this.frame(diagnostic);
    return frame ? `${text}\n${indent(frame, '  ')}` : text;
  }

  private async frame(diagnostic: Diagnostic): Promise<string | undefined> {
    if (!diagnostic.file || !diagnostic.line) return undefined;
    const source = this.source(diagnostic.file);
    if (source === undefined) return undefined;
    const lineCount = source.split('\n').length;
    if (diagnostic.line > lineCount) return undefined;
    // Loaded on first use: most commands never print a frame, and startup time matters.
    this.codeFrame ??= (await import('@babel/code-frame')).codeFrameColumns;
    // An inline API key on a line near the mistake is shown as `sop config` shows it: `***`.
    // Columns count characters; the frame's caret is placed by UTF-16 units.
    const unitColumn = diagnostic.column === undefined ? undefined : unitIndexOfColumn(source.split('\n')[diagnostic.line - 1] ?? '', diagnostic.column) + 1;
    const masked = secretsMaskedForFrame(source, diagnostic.line, unitColumn);
    const { text, column } = clipLongLines(masked.text, diagnostic.line, masked.column);
    const location = { start: { line: diagnostic.line, ...(column ? { column } : {}) } };
    // Control characters of the file (an escape sequence) are shown, not sent to the terminal: one
    // U+FFFD each, not removed, as the frame's caret counts the file's columns.
    return controlsMarked(this.codeFrame(text, location, { highlightCode: false, linesAbove: 1, linesBelow: 1 }));
  }

  private source(file: string): string | undefined {
    const absolute = path.resolve(this.cwd, file);
    if (!this.sources.has(absolute)) this.sources.set(absolute, readSmallFile(absolute));
    return this.sources.get(absolute);
  }
}

/** Widest source line a frame shows; longer lines are cut to a window around the column. */
const MAX_FRAME_WIDTH = 120;

/**
 * The lines around `line` cut to MAX_FRAME_WIDTH characters around `column` (with `…` where text
 * is left out), so a minified or generated line does not flood the terminal; the column follows.
 */
function clipLongLines(source: string, line: number, column: number | undefined): { text: string; column: number | undefined } {
  const lines = source.split('\n');
  const around = lines.slice(Math.max(0, line - 2), line + 1);
  if (around.every((text) => text.length <= MAX_FRAME_WIDTH)) return { text: source, column };
  const start = Math.max(0, (column ?? 1) - 1 - Math.floor(MAX_FRAME_WIDTH / 2));
  // The window starts and ends between characters: half an emoji shows as U+FFFD.
  const windowStart = (text: string): number => {
    const from = Math.min(start, Math.max(0, text.length - MAX_FRAME_WIDTH));
    return /[\uDC00-\uDFFF]/.test(text[from] ?? '') && /[\uD800-\uDBFF]/.test(text[from - 1] ?? '') ? from + 1 : from;
  };
  const clip = (text: string): string => {
    if (text.length <= MAX_FRAME_WIDTH) return text;
    const from = windowStart(text);
    const shown = textStart(text.slice(from), MAX_FRAME_WIDTH);
    return `${from > 0 ? '…' : ''}${shown}${from + shown.length < text.length ? '…' : ''}`;
  };
  for (let index = Math.max(0, line - 2); index <= Math.min(lines.length - 1, line); index++) lines[index] = clip(lines[index] as string);
  const own = source.split('\n')[line - 1] ?? '';
  const from = own.length <= MAX_FRAME_WIDTH ? 0 : windowStart(own);
  return { text: lines.join('\n'), column: column === undefined ? undefined : column - from + (from > 0 ? 1 : 0) };
}

/** The file's text, for a frame; none for a large file or one that is not UTF-8 text (its bytes would reach the terminal). */
function readSmallFile(file: string): string | undefined {
  try {
    // A pipe was read once already: opened again it would wait for another writer.
    const info = statSync(file);
    if (!info.isFile() || info.size > MAX_FRAME_SOURCE_BYTES) return undefined;
    const bytes = readFileSync(file);
    if (bytes.includes(0) || !isUtf8(bytes)) return undefined;
    // Without its BOM, as validation read it: positions on line 1 count from after it.
    const text = bytes.toString('utf8');
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n');
}

