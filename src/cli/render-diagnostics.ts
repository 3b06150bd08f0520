import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../errors/index.js';

/** Files larger than this get no code frame (reading them is not worth it for a hint). */
const MAX_FRAME_SOURCE_BYTES = 1_000_000;

/**
 * Renders diagnostics for people: `file:line:col: error CODE: message`, the expected/hint lines, then
 * a few lines of the file around the position. Sources are read once per file.
 */
export class DiagnosticRenderer {
  private readonly sources = new Map<string, string | undefined>();
  private codeFrame: typeof import('@babel/code-frame').codeFrameColumns | undefined;

  constructor(private readonly cwd: string = process.cwd()) {}

  async render(diagnostic: Diagnostic): Promise<string> {
    const text = formatDiagnostic(diagnostic);
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
    const location = { start: { line: diagnostic.line, ...(diagnostic.column ? { column: diagnostic.column } : {}) } };
    return this.codeFrame(source, location, { highlightCode: false, linesAbove: 1, linesBelow: 1 });
  }

  private source(file: string): string | undefined {
    const absolute = path.resolve(this.cwd, file);
    if (!this.sources.has(absolute)) this.sources.set(absolute, readSmallFile(absolute));
    return this.sources.get(absolute);
  }
}

function readSmallFile(file: string): string | undefined {
  try {
    if (statSync(file).size > MAX_FRAME_SOURCE_BYTES) return undefined;
    return readFileSync(file, 'utf8');
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

/** One GitHub Actions workflow command per diagnostic, so problems show as annotations on the PR. */
export function formatGithubAnnotation(diagnostic: Diagnostic): string {
  const properties: string[] = [];
  if (diagnostic.file) properties.push(`file=${escapeProperty(diagnostic.file)}`);
  if (diagnostic.line) properties.push(`line=${diagnostic.line}`);
  if (diagnostic.line && diagnostic.column) properties.push(`col=${diagnostic.column}`);
  properties.push(`title=${escapeProperty(diagnostic.code)}`);
  let message = diagnostic.message;
  if (!diagnostic.line && diagnostic.pointer !== undefined) message += ` at ${diagnostic.pointer || '/'}`;
  if (diagnostic.expected) message += `\nexpected: ${diagnostic.expected}`;
  if (diagnostic.hint) message += `\nhint: ${diagnostic.hint}`;
  return `::${diagnostic.severity} ${properties.join(',')}::${escapeData(message)}`;
}

/** Escaping rules of GitHub workflow commands (actions/toolkit `command.ts`). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
