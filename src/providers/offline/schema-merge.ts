/**
 * Turns `$ref` + siblings and `allOf` into one schema the generator can read directly.
 * The merge is the intersection a generator needs (stricter bounds, union of required,
 * intersection of types and enums), not a general-purpose schema algebra.
 */

import { deepEqual, isSchemaObject, resolveRef, type Schema, type SchemaObject } from './schema-check.js';

const TAKE_MAX = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
const TAKE_MIN = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);
const KEEP_FIRST = new Set(['default', 'examples', 'title', 'description', '$defs', 'definitions', '$id', '$schema']);

/** The intersection of two schemas, as far as generating a value is concerned. */
export function mergeSchemas(left: Schema, right: Schema): Schema {
  if (left === false || right === false) return false;
  if (!isSchemaObject(left)) return isSchemaObject(right) ? right : true;
  if (!isSchemaObject(right)) return left;
  const merged: SchemaObject = { ...left };
  for (const [key, value] of Object.entries(right)) {
    const existing = merged[key];
    if (existing === undefined) {
      merged[key] = value;
    } else if (key === 'properties' && isSchemaObject(existing) && isSchemaObject(value)) {
      const properties: SchemaObject = { ...existing };
      for (const [name, sub] of Object.entries(value)) {
        properties[name] = name in properties ? { allOf: [properties[name], sub] } : sub;
      }
      merged.properties = properties;
    } else if (key === 'required' && Array.isArray(existing) && Array.isArray(value)) {
      merged.required = [...new Set([...existing, ...value])];
    } else if (key === 'type') {
      merged.type = intersectTypes(existing, value);
    } else if (key === 'enum' && Array.isArray(existing) && Array.isArray(value)) {
      merged.enum = existing.filter((option) => value.some((other) => deepEqual(option, other)));
    } else if (key === 'allOf' && Array.isArray(existing) && Array.isArray(value)) {
      merged.allOf = [...existing, ...value];
    } else if (TAKE_MAX.has(key) && typeof existing === 'number' && typeof value === 'number') {
      merged[key] = Math.max(existing, value);
    } else if (TAKE_MIN.has(key) && typeof existing === 'number' && typeof value === 'number') {
      merged[key] = Math.min(existing, value);
    } else if (key === 'additionalProperties') {
      merged[key] = existing === false || value === false ? false : mergeSchemas(existing as Schema, value as Schema);
    } else if ((key === 'items' || key === 'contains' || key === 'propertyNames') && isSchemaObject(existing)) {
      merged[key] = { allOf: [existing, value] };
    } else if (!KEEP_FIRST.has(key)) {
      merged[key] = value;
    }
  }
  return merged;
}

function intersectTypes(left: unknown, right: unknown): unknown {
  const leftTypes = Array.isArray(left) ? left : [left];
  const rightTypes = Array.isArray(right) ? right : [right];
  const common: unknown[] = [];
  for (const type of leftTypes) {
    if (rightTypes.includes(type)) common.push(type);
    else if (type === 'integer' && rightTypes.includes('number')) common.push('integer');
    else if (type === 'number' && rightTypes.includes('integer')) common.push('integer');
  }
  if (common.length === 0) return right;
  return common.length === 1 ? common[0] : [...new Set(common)];
}

/** `schema` without the given keywords. */
export function omitKeys(schema: SchemaObject, keys: readonly string[]): SchemaObject {
  const rest: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) if (!keys.includes(key)) rest[key] = value;
  return rest;
}

/** `schema` with its `$ref` resolved (merged with siblings) and its `allOf` merged in. */
export function flattenSchema(schema: Schema | undefined, root: Schema, depth = 0): Schema {
  if (schema === false) return false;
  if (!isSchemaObject(schema)) return true;
  if (depth > 24) return schema;
  let flat: Schema = schema;
  if (typeof schema.$ref === 'string') {
    const target = flattenSchema(resolveRef(root, schema.$ref) ?? true, root, depth + 1);
    const rest = omitKeys(schema, ['$ref']);
    flat = Object.keys(rest).length === 0 ? target : mergeSchemas(target, rest);
  }
  if (isSchemaObject(flat) && Array.isArray(flat.allOf)) {
    const parts = flat.allOf.map((part) => flattenSchema(part as Schema, root, depth + 1));
    flat = parts.reduce<Schema>((merged, part) => mergeSchemas(merged, part), omitKeys(flat, ['allOf']));
    if (isSchemaObject(flat) && (flat.$ref !== undefined || flat.allOf !== undefined)) {
      flat = flattenSchema(flat, root, depth + 1);
    }
  }
  return flat;
}
