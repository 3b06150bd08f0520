import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type Scalar } from 'yaml';
import type { Diagnostic } from '../errors/index.js';
import type { SourceMap } from './source-map.js';

/** Most levels of nesting an SOP may have (a real one has about ten; payload schemas a few dozen). */
export const MAX_NESTING = 100;

/**
 * Checks what the YAML parser accepts but an SOP cannot hold, in one pass over the document (no
 * alias is expanded): duplicate keys (`1` and `"1"` included: they become the same JSON key), keys
 * that are lists or mappings, aliases to unknown anchors, merge keys (`<<`) whose value is not a
 * mapping, numbers that are not finite (`.inf`, `.nan`, `1e400`), and nesting deeper than
 * MAX_NESTING. Linear in the size of the document, unlike the parser's own duplicate check.
 */
export function checkYamlStructure(document: Document, sourceMap: SourceMap, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const at = (node: unknown): { line: number; column: number } =>
    node && typeof node === 'object' && Array.isArray((node as Node).range) ? sourceMap.positionOf((node as Node).range![0]) : { line: 1, column: 1 };
  const anchors = new Set<string>();
  let tooDeep = false;
  const tooDeepAt = (node: Node, how: string): Diagnostic => ({
    code: 'YAML_SYNTAX', severity: 'error', file, ...at(node), message: `the YAML nests more than ${MAX_NESTING} levels deep here${how}`,
    hint: 'flatten the structure: no SOP or payload schema needs this depth (move shared parts to `$defs`)',
  });
  // Levels of collections under a node, following aliases (memoized: each anchored node is measured once).
  const heights = new Map<unknown, number>();
  const heightOf = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 0;
    if (isAlias(node)) return heightOf(node.resolve(document));
    if (!isCollection(node)) return 0;
    const known = heights.get(node);
    if (known !== undefined) return known;
    heights.set(node, 0); // an alias cycle ends here; the alias guard reports it
    let deepest = 0;
    for (const item of node.items) {
      deepest = Math.max(deepest, ...(isPair(item) ? [heightOf(item.key), heightOf(item.value)] : [heightOf(item)]));
      if (deepest > MAX_NESTING) break;
    }
    heights.set(node, deepest + 1);
    return deepest + 1;
  };

  const visit = (node: unknown, depth: number): void => {
    if (tooDeep || node === null || typeof node !== 'object') return;
    if (isAlias(node)) {
      if (!anchors.has(node.source)) {
        diagnostics.push({ code: 'YAML_SYNTAX', severity: 'error', file, ...at(node), message: `alias \`*${node.source}\` refers to no anchor`,
          hint: `define \`&${node.source}\` on a value above this line (an anchor must come before its aliases)` });
      } else if (depth - 1 + heightOf(node.resolve(document)) > MAX_NESTING) {
        tooDeep = true;
        diagnostics.push(tooDeepAt(node, ' once this alias is expanded'));
      }
      return;
    }
    const anchor = (node as Node).anchor;
    if (anchor) anchors.add(anchor);
    if (isScalar(node)) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
        diagnostics.push({ code: 'SCHEMA_TYPE', severity: 'error', file, ...at(node), message: `\`${sourceMap.textOf(node) ?? String(node.value)}\` is not a finite number`,
          expected: 'a finite number', hint: 'JSON has no infinity or NaN: write a number such as 100, or leave the field out' });
      }
      return;
    }
    if (!isCollection(node)) return;
    if (depth > MAX_NESTING) {
      tooDeep = true;
      diagnostics.push(tooDeepAt(node, ''));
      return;
    }
    if (isMap(node)) checkKeys(node.items as Pair[]);
    for (const item of node.items) {
      if (isPair(item)) {
        visit(item.key, depth + 1);
        if (isMergeKey(item)) checkMergeSource(item.value);
        visit(item.value, depth + 1);
      } else visit(item, depth + 1);
    }
  };

  const checkKeys = (pairs: Pair[]): void => {
    const seen = new Map<string, Scalar>();
    for (const pair of pairs) {
      const key = pair.key;
      if (isCollection(key)) {
        diagnostics.push({ code: 'YAML_SYNTAX', severity: 'error', file, ...at(key), message: `a key must be a plain value, not a ${isSeq(key) ? 'list' : 'mapping'}`,
          hint: 'write the key as text (`? [a, b]` keys have no JSON form)' });
        continue;
      }
      if (!isScalar(key)) continue;
      const name = keyName(key);
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, key);
        continue;
      }
      const firstAt = at(first);
      diagnostics.push({ code: 'YAML_DUPLICATE_KEY', severity: 'error', file, ...at(key), message: `duplicate key \`${name}\``,
        hint: `the same key is already at line ${firstAt.line}${keyName(first) === name && typeof first.value !== typeof key.value ? ' (`1` and `"1"` are the same key)' : ''}; keep one of them` });
    }
  };

  const checkMergeSource = (value: unknown): void => {
    const sources = isSeq(value) ? value.items : [value];
    for (const source of sources) {
      const target = isAlias(source) ? source.resolve(document) : source;
      if (isAlias(source) && !target) continue; // reported as an alias without anchor
      if (!isMap(target)) {
        diagnostics.push({ code: 'YAML_SYNTAX', severity: 'error', file, ...at(source), message: 'a merge key (`<<`) takes a mapping or an alias of one',
          expected: '`<<: *name` where `&name` marks a mapping', hint: 'point the alias at a mapping, or remove the `<<:` line' });
      }
    }
  };

  visit(document.contents, 1);
  return diagnostics;
}

/** With `merge: true` the parser reads a plain `<<` key as a symbol. */
function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && (pair.key.value === '<<' || (typeof pair.key.value === 'symbol' && pair.key.source === '<<'));
}

function keyName(key: Scalar): string {
  return typeof key.value === 'symbol' ? '<<' : String(key.value);
}
