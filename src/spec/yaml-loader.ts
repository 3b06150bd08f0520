import { Composer, isMap, isScalar, LineCounter, Parser, visit, YAMLParseError, type CST, type Document, type Node, type YAMLError } from 'yaml';
import type { Diagnostic } from '../errors/index.js';
import { checkAliases, MAX_ALIAS_COUNT, MAX_EXPANDED_NODES } from './alias-guard.js';
import { SourceMap } from './source-map.js';
import { characterPosition } from './text-encoding.js';
import { indentationReader, isIndentationError, type ParsedYaml } from './yaml-indentation.js';
import { checkYamlStructure, MAX_NESTING } from './yaml-structure.js';
import { overlongDoubleQuoted, prescanYaml, type PrescanProblem } from './yaml-prescan.js';

export type LoadedYaml =
  | { ok: true; data: Record<string, unknown>; sourceMap: SourceMap }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parses SOP text keeping positions. Refuses, with located diagnostics: an empty file, YAML syntax
 * errors, several documents, unknown tags (`!!js/function`), a top level that is not a mapping,
 * what `checkYamlStructure` refuses (duplicate keys, nesting, non-finite numbers, ...), alias bombs,
 * and text past the size bounds (`prescanYaml`, checked before the parser spends memory on it).
 */
export function loadYaml(text: string, file: string): LoadedYaml {
  const tooLarge = prescanYaml(text);
  if (tooLarge) return failed(tooLargeDiagnostic(tooLarge, text, file));
  const lineCounter = new LineCounter();
  let document: Document;
  let tokens: CST.Token[];
  try {
    const parsed = parseOneDocument(text, lineCounter);
    if ('offset' in parsed) return failed(tooLargeDiagnostic(parsed, text, file));
    ({ document, tokens } = parsed);
  } catch (error) {
    return failed({ code: 'YAML_SYNTAX', severity: 'error', message: `the YAML parser gave up: ${(error as Error).message}`, file, line: 1, column: 1 });
  }
  const sourceMap = new SourceMap(document, lineCounter, text);

  if (document.errors.length > 0) {
    // A tab in indentation throws the parser off for the lines after it: its own error is the cause, the rest is noise.
    const tab = document.errors.find((error) => error.code === 'TAB_AS_INDENT');
    if (tab) return failed(tabDiagnostic(tab, sourceMap, file));
    return failed(...yamlErrorDiagnostics({ text, tokens, document, sourceMap }, file));
  }
  const tags = document.warnings.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (tags.length > 0) return failed(...tags.map((warning) => unknownTagDiagnostic(warning, sourceMap, text, file)));
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

  const structureProblems = checkYamlStructure(document, sourceMap, file);
  if (structureProblems.length > 0) return failed(...structureProblems);

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

/**
 * `parseDocument` in its two steps, so the token tree is checked (`overlongDoubleQuoted`) before
 * values are built. A second document is an error, as `parseDocument` makes it.
 */
function parseOneDocument(text: string, lineCounter: LineCounter): { document: Document; tokens: CST.Token[] } | PrescanProblem {
  const tokens = withPlainEnv(() => [...new Parser(lineCounter.addNewLine).parse(text)]);
  const overlong = overlongDoubleQuoted(tokens);
  if (overlong) return overlong;
  // Duplicate keys are found by checkYamlStructure: the parser's own check is quadratic in a mapping's size.
  const composer = new Composer({ uniqueKeys: false, merge: true, prettyErrors: false, keepSourceTokens: false });
  let document: Document | undefined;
  for (const next of composer.compose(tokens, true, text.length)) {
    if (!document) document = next;
    else {
      document.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  const composed = document as Document; // compose(..., true) always ends with a document
  // The token tree (a 10,000-role SOP's is 110 MB, its document 65 MB) is kept for error messages
  // only: the checks after a clean parse are not slowed by the garbage collector going over it.
  return { document: composed, tokens: composed.errors.length > 0 ? tokens : [] };
}

/**
 * Runs `parse` with `process.env` a plain copy of it: yaml's Parser reads `process.env.LOG_TOKENS`
 * once per token, and each read of the real `process.env` asks the C++ environment (~250 ms of CPU
 * for the 770,000 tokens of a 10,000-role SOP; a plain object answers at once). `parse` is
 * synchronous, so no other code sees the copy.
 */
function withPlainEnv<T>(parse: () => T): T {
  const env = process.env;
  process.env = { ...env };
  try {
    return parse();
  } finally {
    process.env = env;
  }
}

function tooLargeDiagnostic(problem: PrescanProblem, text: string, file: string): Diagnostic {
  return { code: 'YAML_TOO_LARGE', severity: 'error', file, ...characterPosition(text, problem.offset), message: problem.message, hint: problem.hint };
}

function failed(...diagnostics: Diagnostic[]): LoadedYaml {
  return { ok: false, diagnostics };
}

function describeNode(node: unknown): string {
  if (!isScalar(node)) return 'a list';
  const shown = JSON.stringify(node.value) ?? String(node.value);
  return `a single value (${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown})`;
}

/** `!!js/function`, `!foo`: tags build values sop does not know; read as plain text they would mean something else. */
function unknownTagDiagnostic(warning: YAMLError, sourceMap: SourceMap, text: string, file: string): Diagnostic {
  const tag = /^!\S*/.exec(text.slice(warning.pos[0], warning.pos[1]))?.[0] ?? 'this tag';
  return { code: 'YAML_SYNTAX', severity: 'error', file, ...sourceMap.positionOf(warning.pos[0]), message: `unknown YAML tag \`${tag}\``,
    expected: 'plain YAML values (the standard tags !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)',
    hint: 'remove the tag: an SOP is data, tags that build functions or objects are not read' };
}

function tabDiagnostic(error: YAMLError, sourceMap: SourceMap, file: string): Diagnostic {
  return { code: 'YAML_SYNTAX', severity: 'error', file, ...sourceMap.positionOf(error.pos[0]), message: 'a tab in the indentation',
    expected: 'indentation with spaces (YAML does not allow tabs there)',
    hint: 'replace the tab with spaces (most editors: "Convert indentation to spaces")' };
}

/** First line of a yaml error message without its " at line L, column C" tail. */
function shortMessage(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  return first.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

/**
 * One diagnostic per mistake: an indentation mistake is reported once per collection it put a line
 * in (the parser reports each line after it again), others once per position.
 */
function yamlErrorDiagnostics(parsed: ParsedYaml, file: string): Diagnostic[] {
  const seen = new Set<unknown>();
  // The errors come in the order of the text, and a kept entry holds no other kept one: the last is the one to look in.
  let lastSpan: [number, number] = [-1, -1];
  const diagnostics: Diagnostic[] = [];
  const indentationProblem = indentationReader(parsed, file);
  let strayToken = false;
  let flowEnds: Map<number, [number, number]> | undefined;
  let lastUnclosedStart = -1;
  for (const error of parsed.document.errors) {
    // After a stray token (a `}` or `]` too many) the parser reads every token after it as out of place: the first is the mistake.
    if (error.code === 'UNEXPECTED_TOKEN' && / in YAML stream/.test(error.message)) {
      if (strayToken) continue;
      strayToken = true;
    }
    if (isIndentationError(error, parsed.text)) {
      const { diagnostic, more, group, span } = indentationProblem(error);
      const followsEarlier = seen.has(group) || (span[0] >= lastSpan[0] && span[0] < lastSpan[1]);
      if (!followsEarlier && keepOnce(diagnostic)) {
        seen.add(group);
        lastSpan = span;
        for (const other of more ?? []) keepOnce(other);
      }
      continue;
    }
    // A key without its value in the text a misplaced line threw off (the items after a slipped `-`) is that line's doing.
    if (error.code === 'MISSING_CHAR' && error.pos[0] >= lastSpan[0] && error.pos[0] < lastSpan[1]) continue;
    const unclosed = unclosedFlow(error, () => (flowEnds ??= flowCollectionsByEnd(parsed.document)));
    if (unclosed) {
      // `{ p: [1, 2 }`: the `}` ends the `[`, and the `{` around it is then reported unclosed too (right after).
      if (lastUnclosedStart > unclosed.range[0] && lastUnclosedStart < unclosed.range[1]) continue;
      lastUnclosedStart = unclosed.range[0];
    }
    keepOnce(yamlErrorDiagnostic(error, parsed.document, parsed.sourceMap, file, unclosed));
  }
  return diagnostics;

  function keepOnce(diagnostic: Diagnostic): boolean {
    const position = `${diagnostic.line}:${diagnostic.column}`;
    if (seen.has(position)) return false;
    seen.add(position);
    diagnostics.push(diagnostic);
    return true;
  }
}

function yamlErrorDiagnostic(error: YAMLError, document: Document, sourceMap: SourceMap, file: string, unclosed?: UnclosedFlow): Diagnostic {
  const at = sourceMap.positionOf(error.pos[0]);
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
  if (/Maximum call stack/.test(error.message)) {
    return { code: 'YAML_SYNTAX', severity: 'error', file, ...at, message: `the YAML nests too deeply to be read (more than ${MAX_NESTING} levels)`,
      hint: 'flatten the structure: no SOP or payload schema needs this depth' };
  }
  if (unclosed) {
    const closing = unclosed.bracket;
    return { code: 'YAML_SYNTAX', severity: 'error', file, ...sourceMap.positionOf(unclosed.range[0]), message: `this \`${closing === '}' ? '{' : '['}\` is never closed`,
      hint: `add the closing \`${closing}\` (the parser reached ${describeOffset(sourceMap, error.pos[0])} looking for it)` };
  }
  const stray = error.code === 'UNEXPECTED_TOKEN' ? /^Unexpected flow-(?:map|seq)-end token in YAML stream: "(.)"/.exec(error.message)?.[1] : undefined;
  if (stray) {
    return { code: 'YAML_SYNTAX', severity: 'error', file, ...at, message: `\`${stray}\` closes no \`${stray === '}' ? '{' : '['}\``,
      hint: `remove it, or add the \`${stray === '}' ? '{' : '['}\` it closes` };
  }
  if (error.code === 'UNEXPECTED_TOKEN') {
    const quote = quotedScalarEndingAt(document, sourceMap, error.pos[0]);
    if (quote) {
      return { code: 'YAML_SYNTAX', severity: 'error', file, ...at, message: `the quoted value ends before this text (its closing ${quote} is at the previous quote)`,
        hint: quote === "'"
          ? "inside '...', write a single quote as two (''), or quote the value with \"...\" or use a block scalar (|)"
          : 'inside "...", write a double quote as \\", or quote the value with \'...\' or use a block scalar (|)' };
    }
  }
  return { code: 'YAML_SYNTAX', severity: 'error', file, ...at, message: `YAML syntax error: ${shortMessage(error)}`, hint: 'check indentation, quotes and brackets around this position' };
}

/** The quote character of a quoted scalar that ends right before `offset` (spaces between), if any. */
function quotedScalarEndingAt(document: Document, sourceMap: SourceMap, offset: number): string | undefined {
  let quote: string | undefined;
  visit(document, {
    Scalar(_, scalar: Node) {
      if (!isScalar(scalar) || !scalar.range || (scalar.type !== 'QUOTE_DOUBLE' && scalar.type !== 'QUOTE_SINGLE')) return undefined;
      const end = scalar.range[1];
      if (end <= offset && sourceMap.slice(end, offset).trim() === '') {
        quote = scalar.type === 'QUOTE_DOUBLE' ? '"' : "'";
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return quote;
}

function describeOffset(sourceMap: SourceMap, offset: number): string {
  const { line } = sourceMap.positionOf(offset);
  return `line ${line}`;
}

/** A `{` or `[` the parser ended without its closing bracket. */
interface UnclosedFlow {
  bracket: '}' | ']';
  range: [number, number];
}

/**
 * The flow collection an error says is not closed. The parser notices it where the next key starts
 * (often lines below): the opening bracket is what to fix.
 */
function unclosedFlow(error: YAMLError, flowEnds: () => Map<number, [number, number]>): UnclosedFlow | undefined {
  const bracket = /end with a ([}\]])$/.exec(shortMessage(error))?.[1] as '}' | ']' | undefined;
  if (!bracket) return undefined;
  const range = flowEnds().get(error.pos[0]);
  return range ? { bracket, range } : undefined;
}

/** The flow collections (`{...}`, `[...]`) by the offset they end at: the innermost, when several end there. */
function flowCollectionsByEnd(document: Document): Map<number, [number, number]> {
  const byEnd = new Map<number, [number, number]>();
  visit(document, {
    Collection(_, collection) {
      const range = collection.range;
      if (!collection.flow || !range) return;
      const known = byEnd.get(range[1]);
      if (!known || range[0] > known[0]) byEnd.set(range[1], [range[0], range[1]]);
    },
  });
  return byEnd;
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
