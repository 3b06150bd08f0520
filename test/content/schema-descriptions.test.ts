import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const schemas = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');
type Node = { description?: string; $ref?: string; properties?: Record<string, Node>; [key: string]: unknown };
const load = (file: string): Node => JSON.parse(readFileSync(path.join(schemas, file), 'utf8')) as Node;

/** The node a `$ref` names: `#/$defs/X` in `file`, or `other.json#/$defs/X`. */
function target(file: string, ref: string): Node | undefined {
  const [refFile, pointer = ''] = ref.split('#');
  let node: unknown = load(refFile || file);
  for (const segment of pointer.split('/').filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node as Node | undefined;
}

/** Pointers of the properties that an editor would show without a description (none of their own, none behind their `$ref`). */
function undescribed(file: string): string[] {
  const missing: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((item, index) => walk(item, `${at}/${index}`));
    if (node === null || typeof node !== 'object') return;
    const { properties } = node as Node;
    for (const [name, property] of Object.entries(properties ?? {})) {
      const described = property.description ?? (property.$ref === undefined ? undefined : target(file, property.$ref)?.description);
      if (!described) missing.push(`${at}/properties/${name}`);
    }
    for (const [key, value] of Object.entries(node)) if (!['enum', 'const', 'default', 'examples'].includes(key)) walk(value, `${at}/${key}`);
  };
  walk(load(file), '');
  return missing;
}

describe('the schemas editors are pointed at describe every field (shown on hover and in completion)', () => {
  it.each(['sop.v1.schema.json', 'sop-test.v1.schema.json', 'script.v1.schema.json', 'sop-eval.v1.schema.json', 'config.v1.schema.json'])('%s', (file) => {
    expect(undescribed(file)).toEqual([]);
  });
});
