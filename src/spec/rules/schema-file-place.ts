import { positionInFile } from '../file-positions.js';
import { fromPointer, joinPointer, toPointer, valueAt } from '../pointer.js';
import { schemaFileOrigin } from '../schema-refs.js';
import type { Position } from '../source-map.js';
import { isObject } from './open-objects.js';

/** A place of a payload schema written in a referenced file: the file as shown, the pointer there, its position. */
export interface SchemaFilePlace {
  /** As shown to the user. */
  file: string;
  absolute: string;
  pointer: string;
  position: Position;
}

/**
 * Where the place `inner` of an inlined payload schema (its `$ref`'d files already in it) was
 * written, when that is in a referenced file: found from the nearest object around it, whose file
 * and pointer `inlineSchemaRefs` kept. Undefined for a place written in the SOP itself (or a file
 * that does not parse: its own error says so).
 */
export function schemaFilePlace(schema: Record<string, unknown>, inner: string, at: 'key' | 'value'): SchemaFilePlace | undefined {
  const segments = fromPointer(inner);
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = valueAt(schema, toPointer(segments.slice(0, depth)));
    if (!isObject(node)) continue; // a keyword's value or an array: located from the object holding it
    const origin = schemaFileOrigin(node);
    if (!origin) return undefined;
    const pointer = joinPointer(origin.pointer, ...segments.slice(depth));
    const position = positionInFile(origin.file, pointer, at);
    return position && { file: origin.file.display, absolute: origin.file.absolute, pointer, position };
  }
  return undefined;
}
