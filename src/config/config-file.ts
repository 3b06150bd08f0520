import type { Document, YAMLError } from 'yaml';
import { SopError, type Diagnostic } from '../errors/index.js';
import { SourceMap, type Position } from '../spec/source-map.js';
import { yamlLib } from '../spec/yaml-lib.js';
import { loadYaml } from '../spec/yaml-loader.js';

/** A configuration file read from disk: its data and, for YAML/JSON, where each value is written. */
export interface ConfigFile {
  file: string;
  data: unknown;
  /** Pointer of the configuration inside the document (`/sop` in package.json, else ''). */
  prefix: string;
  /** Position of the value (or its key) at a pointer relative to `prefix`; undefined for JS files. */
  locate(pointer: string, at?: 'value' | 'key'): Position | undefined;
}

/** Most aliases a configuration file may use (it needs none; this stops alias bombs). */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML or JSON text (JSON is YAML) keeping positions. Syntax errors, duplicate keys and
 * alias bombs are CONFIG_INVALID with the file, line and column.
 */
export function parseConfigText(text: string, file: string): { data: unknown; sourceMap: SourceMap } {
  const lineCounter = new (yamlLib().LineCounter)();
  let document: Document;
  try {
    document = yamlLib().parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    throw configError({ file, line: 1, column: 1, message: `the YAML parser gave up: ${(error as Error).message}` });
  }
  const sourceMap = new SourceMap(document, lineCounter, text);
  const encoding = encodingProblem(text);
  if (encoding) throw configError({ file, ...sourceMap.positionOf(encoding.offset), message: encoding.message, hint: 'save the file as UTF-8 text' });
  const first = document.errors[0];
  if (first) {
    const json = /\.json$/i.test(file);
    const worded = first.code === 'MULTIPLE_DOCS' ? undefined : sopWorded(text, file);
    if (worded) throw configError(worded);
    throw configError({
      file,
      ...sourceMap.positionOf(first.pos[0]),
      message: yamlMessage(first, json ? 'JSON' : 'YAML'),
      hint: first.code === 'DUPLICATE_KEY'
        ? 'each key may appear once per mapping; merge the two entries'
        : first.code === 'MULTIPLE_DOCS'
          ? 'remove the `---` line and what follows, or merge it into the first document'
          : json ? 'check the commas, quotes and brackets around this position' : 'check the indentation and quoting around this position',
    });
  }
  try {
    return { data: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), sourceMap };
  } catch (error) {
    throw configError({ file, line: 1, column: 1, message: `the file could not be read: ${(error as Error).message}`, hint: 'a configuration needs no YAML aliases' });
  }
}

/** A ConfigFile over parsed YAML/JSON text. */
export function configFileFromText(text: string, file: string, prefix = ''): ConfigFile {
  const { data, sourceMap } = parseConfigText(text, file);
  const inner = prefix === '' ? data : (data as Record<string, unknown> | null)?.[prefix.slice(1)];
  return { file, data: inner, prefix, locate: (pointer, at = 'value') => sourceMap.locate(prefix + pointer, at) };
}

/** A ConfigFile for data without a source map (`sop.config.js`). */
export function configFileFromData(data: unknown, file: string): ConfigFile {
  return { file, data, prefix: '', locate: () => undefined };
}

/** One CONFIG_INVALID problem as an error carrying its located diagnostic. */
export function configError(problem: Omit<Diagnostic, 'code' | 'severity'>): SopError {
  return SopError.fromDiagnostics([{ code: 'CONFIG_INVALID', severity: 'error', ...problem }]);
}

/** A NUL (binary data, UTF-16) or a replacement character (invalid UTF-8) in text read as UTF-8. */
function encodingProblem(text: string): { offset: number; message: string } | undefined {
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return { offset: nul, message: 'the file is not UTF-8 text (it holds NUL bytes: binary data or UTF-16)' };
  const replacement = text.indexOf('\uFFFD');
  if (replacement !== -1) return { offset: replacement, message: 'the file is not valid UTF-8 (Latin-1 or Windows-1252?)' };
  return undefined;
}

/**
 * A YAML mistake as an SOP's is told (`this [ is never closed`, `duplicate key a` with the line
 * of the first): the parser's own words ("Flow sequence in block collection must be sufficiently
 * indented and end with a ]") name neither the cause nor the fix.
 */
function sopWorded(text: string, file: string): Omit<Diagnostic, 'code' | 'severity'> | undefined {
  const loaded = loadYaml(text, file);
  const found = loaded.ok ? undefined : loaded.diagnostics[0];
  if (!found || (found.code !== 'YAML_SYNTAX' && found.code !== 'YAML_DUPLICATE_KEY')) return undefined;
  const { code: _code, severity: _severity, hint, ...where } = found;
  // A hint written for SOPs ("no SOP needs this depth") is left out rather than misdirect.
  return hint === undefined || /\bSOP\b/.test(hint) ? where : { ...where, hint };
}

function yamlMessage(error: YAMLError, format: 'YAML' | 'JSON'): string {
  if (error.code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (`---`); a configuration is one document';
  const first = error.message.split('\n')[0] ?? error.message;
  return `invalid ${format}: ${first.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '')}`;
}
