import type { LineCounter } from 'yaml';
import type { ReferencedFile } from './file-refs.js';
import { SourceMap, type Position } from './source-map.js';
import { yamlLib } from './yaml-lib.js';

/** Source maps of referenced JSON/YAML files, made on the first diagnostic located in each. */
const MAPS = new WeakMap<ReferencedFile, SourceMap | null>();

/**
 * Where the value at `pointer` (or its key) is in a referenced JSON or YAML file (a `$ref`
 * schema), or undefined when the file does not parse as one document (its own error says so).
 * JSON is read as YAML, which keeps positions; the two agree on every JSON value.
 */
export function positionInFile(file: ReferencedFile, pointer: string, at: 'key' | 'value' = 'value'): Position | undefined {
  let map = MAPS.get(file);
  if (map === undefined) {
    map = sourceMapOf(file.text);
    MAPS.set(file, map);
  }
  return map?.locate(pointer, at);
}

function sourceMapOf(text: string): SourceMap | null {
  const yaml = yamlLib();
  const lineCounter: LineCounter = new yaml.LineCounter();
  const document = yaml.parseDocument(text, { lineCounter, uniqueKeys: false });
  return document.errors.length > 0 ? null : new SourceMap(document, lineCounter, text);
}
