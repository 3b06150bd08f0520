/**
 * Plausible string values for the offline generator: derived from the field's name and
 * description and the request's topic ("Todo CLI title"), formatted values (date, email,
 * uri, uuid, ...), Mermaid diagrams, project file paths; then fitted to minLength, maxLength
 * and pattern.
 */

import { createHash } from 'node:crypto';
import { languageInPrompt, projectFilePath, type Language } from './languages.js';
import { diagramKind, mermaidDiagram, wantsMermaid } from './mermaid.js';
import { samplePattern } from './pattern-sample.js';
import type { OfflineContext } from './request-context.js';
import type { ReplyBudget } from './generator-types.js';
import { compilePattern, type SchemaObject } from './schema-check.js';
import {
  asciiWords,
  camelCase,
  codePointLength,
  humanize,
  kebabCase,
  pascalCase,
  snakeCase,
  truncateCodePoints,
} from './text-utils.js';

/** Where a string sits: what the generator knows about its field. */
export interface StringHint {
  /** Property name (for array items: the singular of the array's name); '' at the root. */
  name: string;
  description: string;
  /** 1-based position inside the nearest enclosing array, if any. */
  ordinal: number | undefined;
  /** Language chosen by a `language` field of an enclosing object, if any. */
  language: Language | undefined;
  /** JSON pointer of the value, to salt per-field variants such as uuids. */
  pointer: string;
}

export function generateString(schema: SchemaObject, hint: StringHint, context: OfflineContext, budget: ReplyBudget): string {
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const formatted = format === undefined ? undefined : formatValue(format, hint, context);
  const text = formatted ?? naturalValue(hint, context);
  const fitted = fitString(text, schema, budget.chars);
  budget.chars = Math.max(0, budget.chars - fitted.length);
  return fitted;
}

const SHORT_FIELDS = new Set([
  'name', 'title', 'id', 'key', 'label', 'slug', 'version', 'type', 'kind', 'status', 'category', 'tag',
  'author', 'owner', 'role', 'priority', 'language', 'command', 'value',
]);

function naturalValue(hint: StringHint, context: OfflineContext): string {
  const { name, description, ordinal } = hint;
  const words = asciiWords(name);
  const last = words[words.length - 1] ?? '';
  if (wantsMermaid(name, description)) return mermaidDiagram(diagramKind(name, description), context.topic);
  if (isPathField(words)) return filePath(hint, context, words);
  if (isRequestField(words)) return context.task;
  if (/^(programming_?)?lang(uage)?$/i.test(name)) {
    return hint.language ?? languageInPrompt(context.promptLower) ?? 'python';
  }
  if (last === 'version') return '0.1.0';
  if (last === 'email' || last === 'mail') return formatValue('email', hint, context) ?? '';
  if (['url', 'uri', 'link', 'homepage', 'website'].includes(last)) return formatValue('uri', hint, context) ?? '';
  if (last === 'date' || last === 'deadline') return formatValue('date', hint, context) ?? '';
  if (last === 'timestamp' || (last === 'at' && words.length > 1)) return formatValue('date-time', hint, context) ?? '';
  if (last === 'id' || /[a-z]Id$/.test(name)) return `${kebabCase(context.topic) || 'item'}-${ordinal ?? 1}`;
  if (words.length > 1 && last === 'name' && /project|package|module|repo|app/.test(words[0] ?? '')) {
    return snakeCase(context.topic) || 'project';
  }
  const label = name ? humanize(name) : 'value';
  const suffix = ordinal === undefined ? '' : ` ${ordinal}`;
  const detail = description && !SHORT_FIELDS.has(last) ? `: ${describe(description)}` : '';
  return `${context.topic} ${label}${suffix}${detail}`;
}

function describe(description: string): string {
  const sentence = /^(.*?)(?:[.!?](?:\s|$)|$)/su.exec(description.replace(/\s+/g, ' ').trim())?.[1] ?? '';
  const short = sentence.length > 80 ? `${sentence.slice(0, 80).replace(/\s+\S*$/, '')}` : sentence;
  return short.charAt(0).toLowerCase() + short.slice(1);
}

const PATH_WORDS = new Set(['file', 'path', 'filename', 'filepath', 'files', 'paths', 'filenames']);

function isPathField(words: readonly string[]): boolean {
  const last = words[words.length - 1] ?? '';
  return PATH_WORDS.has(last) || (words.includes('file') && ['list', 'name', 'names'].includes(last));
}

/** Whether a field named `name` holds file paths (`file`, `path`, `test_file`, `file_list`, ...). */
export function isPathName(name: string): boolean {
  return isPathField(asciiWords(name));
}

/** Names of fields whose value is a file's content (filled with code for the file's path). */
export function isContentName(name: string): boolean {
  return /^(content|contents|code|source|source_code|file_content|body)$/i.test(name);
}

/** Requirement-like fields restate the request itself rather than a placeholder. */
function isRequestField(words: readonly string[]): boolean {
  const text = words.join('_');
  return /^(original_)?(user_)?(requirements?|idea|request|prompt)$/.test(text);
}

function filePath(hint: StringHint, context: OfflineContext, words: readonly string[]): string {
  const index = (hint.ordinal ?? 1) - 1;
  const listed = context.paths[index];
  if (listed !== undefined) return listed;
  const docs = words.some((word) => ['doc', 'docs', 'readme', 'documentation'].includes(word));
  const language: Language = docs ? 'markdown' : (hint.language ?? languageInPrompt(context.promptLower) ?? 'python');
  const test = words.includes('test') || words.includes('tests');
  const path = projectFilePath(context.topic, language, index, test ? { test } : {});
  const baseOnly = words.includes('filename') || words.includes('filenames') || (words.includes('file') && words.includes('name'));
  return baseOnly ? (path.split('/').pop() ?? path) : path;
}

function formatValue(format: string, hint: StringHint, context: OfflineContext): string | undefined {
  const ordinal = hint.ordinal ?? 1;
  const day = String(((ordinal - 1) % 28) + 1).padStart(2, '0');
  const slug = kebabCase(context.topic) || 'project';
  switch (format) {
    case 'date':
      return `2025-01-${day}`;
    case 'date-time':
      return `2025-01-${day}T09:00:00Z`;
    case 'time':
    case 'iso-time':
      return '09:00:00Z';
    case 'iso-date-time':
      return `2025-01-${day}T09:00:00Z`;
    case 'email':
    case 'idn-email':
      return `${slug}${hint.ordinal === undefined ? '' : `-${ordinal}`}@example.com`;
    case 'uri':
    case 'url':
    case 'iri':
      return `https://example.com/${slug}${hint.ordinal === undefined ? '' : `/${ordinal}`}`;
    case 'uri-reference':
    case 'iri-reference':
      return `docs/${slug}`;
    case 'uri-template':
      return `https://example.com/${slug}/{id}`;
    case 'uuid':
      return uuidFor(context, hint);
    case 'hostname':
    case 'idn-hostname':
      return `${slug.slice(0, 50)}.example.com`;
    case 'ipv4':
      return `192.0.2.${ordinal % 255}`;
    case 'ipv6':
      return `2001:db8::${ordinal.toString(16)}`;
    case 'duration':
      return `P${ordinal}D`;
    case 'regex':
      return '^[a-z]+$';
    case 'json-pointer':
      return `/${snakeCase(context.topic) || 'value'}`;
    case 'relative-json-pointer':
      return '0';
    case 'byte':
      return Buffer.from(context.topic).toString('base64');
    default:
      return undefined;
  }
}

function uuidFor(context: OfflineContext, hint: StringHint): string {
  const hex = createHash('sha256').update(`${context.digest}${hint.pointer}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Fits `text` to the schema's length bounds and pattern (best effort when no variant fits); padded to `padTo` characters at most. */
function fitString(text: string, schema: SchemaObject, padTo: number): string {
  // The schema's minLength, but padded no further than `padTo` (a text already longer keeps its length).
  const wanted = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const min = Math.min(wanted, Math.max(padTo, text.length));
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const pattern = typeof schema.pattern === 'string' ? compilePattern(schema.pattern) : null;
  const fits = (value: string): boolean => {
    const length = codePointLength(value);
    return length >= min && length <= max && (pattern === null || pattern.test(value));
  };
  const plain = fitLength(text, min, max);
  if (pattern === null || fits(plain)) return plain;
  const variants = caseVariants(text);
  for (const variant of variants) {
    const fitted = fitLength(variant, min, max);
    if (fits(fitted)) return fitted;
  }
  for (const variant of variants) {
    const sample = samplePattern(schema.pattern as string, variant);
    if (sample === undefined) break;
    if (fits(sample)) return sample;
    const fitted = fitLength(sample, min, max);
    if (fits(fitted)) return fitted;
  }
  return plain;
}

function caseVariants(text: string): string[] {
  const words = asciiWords(text);
  const variants = [
    text,
    words.join('_'),
    words.join('-'),
    text.toLowerCase(),
    camelCase(text),
    pascalCase(text),
    words.join('_').toUpperCase(),
    words.join(''),
    words.join(' '),
  ];
  return [...new Set(variants)].filter((variant) => variant.length > 0);
}

const PADDING = ['details', 'notes', 'context', 'scope'];

function fitLength(text: string, min: number, max: number): string {
  let result = text;
  let length = codePointLength(result);
  if (length < min) {
    const separator = /\s/.test(result) || !/[_-]/.test(result) ? ' ' : result.includes('_') ? '_' : '-';
    const parts = [result];
    for (let index = 0; length < min; index += 1) {
      const word = `${length > 0 ? separator : ''}${PADDING[index % PADDING.length]}`;
      parts.push(word);
      length += word.length;
    }
    result = parts.join('');
  }
  if (codePointLength(result) > max) {
    result = truncateCodePoints(result, max);
    const trimmed = result.replace(/[\s_\-.,:;]+$/u, '');
    if (codePointLength(trimmed) >= min) result = trimmed;
  }
  return result;
}
