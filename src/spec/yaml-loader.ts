import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { Diagnostic } from '../errors/index.js';
import { checkAliases, MAX_ALIAS_COUNT, MAX_EXPANDED_NODES } from './alias-guard.js';
import { SourceMap } from './source-map.js';

export type LoadedYaml =
  | { ok: true; data: Record<string, unknown>; sourceMap: SourceMap }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parses SOP text keeping positions. Refuses, with located diagnostics: an empty file, YAML syntax
 * errors, several documents, duplicate keys, alias bombs and a top level that is not a mapping.
 */
export function loadYaml(text: string, file: string): LoadedYaml {
  const lineCounter = new LineCounter();
  let document: Document;
  try {
    document = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false, keepSourceTokens: false });
  } catch (error) {
    return failed({ code: 'YAML_SYNTAX', severity: 'error', message: `the YAML parser gave up: ${(error as Error).message}`, file, line: 1, column: 1 });
  }
  const sourceMap = new SourceMap(document, lineCounter, text);

  if (document.errors.length > 0) return failed(...document.errors.map((error) => yamlErrorDiagnostic(error, document, sourceMap, file)));
  if (document.contents === null) {
    return failed({ code: 'YAML_EMPTY', severity: 'error', message: 'empty SOP file', file, line: 1, column: 1,
      expected: 'a mapping with apiVersion, kind, metadata and roles', hint: 'start from `sop init`, or see `sop schema` for the format' });
  }
  if (!isMap(document.contents)) {
    const at = sourceMap.locate('');
    return failed({ code: 'YAML_NOT_MAPPING', severity: 'error', message: 'expected a mapping at the top level', file, ...at, pointer: '',
      expected: 'a mapping (`apiVersion: sop/v1`, `kind: SOP`, ...)',
      hint: isScalar(document.contents)
        ? `the file holds ${describeNode(document.contents)}; an SOP starts with \`apiVersion: sop/v1\``
        : 'the file holds a list; remove the leading `- ` of each top-level line' });
  }

  const aliasProblem = checkAliases(document);
  if (aliasProblem) {
    const at = aliasProblem.node.range ? sourceMap.positionOf(aliasProblem.node.range[0]) : { line: 1, column: 1 };
    const message = {
      count: `too many aliases (more than ${MAX_ALIAS_COUNT})`,
      expansion: `aliases expand to more than ${MAX_EXPANDED_NODES} values (an alias bomb?)`,
      cycle: 'an alias refers to the node that contains it',
    }[aliasProblem.reason];
    return failed({ code: 'YAML_ALIAS_LIMIT', severity: 'error', message, file, ...at,
      hint: 'repeat the text instead of nesting aliases; an SOP needs few aliases, if any' });
  }

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return failed({ code: 'YAML_ALIAS_LIMIT', severity: 'error', message: `the YAML could not be read: ${(error as Error).message}`, file, line: 1, column: 1 });
  }
  return { ok: true, data: data as Record<string, unknown>, sourceMap };
}

function failed(...diagnostics: Diagnostic[]): LoadedYaml {
  return { ok: false, diagnostics };
}

function describeNode(node: unknown): string {
  if (isScalar(node)) return `a single value (${JSON.stringify(node.value)})`;
  return 'a list';
}

/** First line of a yaml error message without its " at line L, column C" tail. */
function shortMessage(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  return first.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

function yamlErrorDiagnostic(error: YAMLError, document: Document, sourceMap: SourceMap, file: string): Diagnostic {
  const at = sourceMap.positionOf(error.pos[0]);
  if (error.code === 'DUPLICATE_KEY') {
    const duplicate = findDuplicate(document, error.pos[0]);
    const first = duplicate ? sourceMap.positionOf(duplicate.firstOffset) : undefined;
    return {
      code: 'YAML_DUPLICATE_KEY', severity: 'error', file, ...at,
      message: duplicate ? `duplicate key \`${duplicate.key}\`` : 'duplicate key',
      hint: first ? `the same key is already at line ${first.line}; keep one of them` : 'keep one of them',
    };
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return { code: 'YAML_MULTIPLE_DOCUMENTS', severity: 'error', file, ...at, message: 'the file holds more than one YAML document (`---`)',
      hint: 'an SOP is one document: put each SOP in its own file' };
  }
  if (error.code === 'MISSING_CHAR' && /quote/.test(error.message)) {
    // The parser notices a missing closing quote at the end of the file; the opening quote is what to fix.
    const opening = findUnclosedQuote(document, error.pos[0]);
    if (opening !== undefined) {
      return { code: 'YAML_SYNTAX', severity: 'error', file, ...sourceMap.positionOf(opening), message: 'this quoted string is never closed',
        hint: `close the quote on this line (the parser reached ${describeOffset(sourceMap, error.pos[0])} looking for it)` };
    }
  }
  return { code: 'YAML_SYNTAX', severity: 'error', file, ...at, message: `YAML syntax error: ${shortMessage(error)}`, hint: 'check indentation, quotes and brackets around this position' };
}

function describeOffset(sourceMap: SourceMap, offset: number): string {
  const { line } = sourceMap.positionOf(offset);
  return `line ${line}`;
}

/** The duplicated key at `offset` and where its first occurrence starts. */
function findDuplicate(document: Document, offset: number): { key: string; firstOffset: number } | undefined {
  let result: { key: string; firstOffset: number } | undefined;
  visit(document, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        const first = seen.get(key);
        if (first !== undefined && pair.key.range[0] === offset) {
          result = { key, firstOffset: first };
          return visit.BREAK;
        }
        if (first === undefined) seen.set(key, pair.key.range[0]);
      }
      return undefined;
    },
  });
  return result;
}

/** Start of the quoted scalar that runs to `end` (the parser's error position). */
function findUnclosedQuote(document: Document, end: number): number | undefined {
  let start: number | undefined;
  visit(document, {
    Scalar(_, scalar: Node) {
      if (!isScalar(scalar) || !scalar.range) return;
      if ((scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') && scalar.range[1] >= end) start = scalar.range[0];
    },
  });
  return start;
}
