import { describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS as CONFIG_PROVIDERS, CONFIG_SCHEMA } from '../../src/config/index.js';
import { BUILTIN_PROVIDERS } from '../../src/providers/registry.js';

type Schema = Record<string, unknown>;

/** Every schema object in the document, with its JSON pointer. */
function schemas(node: unknown, pointer = ''): Array<[string, Schema]> {
  if (typeof node !== 'object' || node === null) return [];
  const out: Array<[string, Schema]> = [];
  const schema = node as Schema;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === '$defs') {
      for (const [name, inner] of Object.entries(value as Schema)) out.push([`${pointer}/${key}/${name}`, inner as Schema], ...schemas(inner, `${pointer}/${key}/${name}`));
    } else if (key === 'additionalProperties' || key === 'items' || key === 'propertyNames') {
      out.push(...schemas(value, `${pointer}/${key}`));
    } else if (key === 'oneOf') {
      (value as unknown[]).forEach((branch, index) => out.push(...schemas(branch, `${pointer}/oneOf/${index}`)));
    }
  }
  return out;
}

describe('schemas/config.v1.schema.json', () => {
  it('has an $id, and every property and definition has a description', () => {
    expect(CONFIG_SCHEMA['$id']).toBe('https://sop-runner.dev/schemas/config.v1.schema.json');
    const undocumented = schemas(CONFIG_SCHEMA)
      .filter(([pointer, schema]) => /\/(properties|\$defs)\/[^/]+$/.test(pointer) && typeof schema['description'] !== 'string' && typeof schema['$ref'] !== 'string')
      .map(([pointer]) => pointer);
    expect(undocumented).toEqual([]);
  });

  it('every mapping with fixed keys refuses unknown keys', () => {
    const open = schemas(CONFIG_SCHEMA)
      .filter(([, schema]) => schema['properties'] !== undefined && schema['additionalProperties'] !== false)
      .map(([pointer]) => pointer);
    expect(open).toEqual([]);
    expect(CONFIG_SCHEMA['additionalProperties']).toBe(false);
  });

  it('the provider kinds of the schema, the config checks and the registry agree', () => {
    const defs = CONFIG_SCHEMA['$defs'] as Record<string, { properties: { kind: { enum: string[] } } }>;
    expect(defs['Provider']?.properties.kind.enum).toEqual([...BUILTIN_PROVIDERS]);
    expect([...CONFIG_PROVIDERS]).toEqual([...BUILTIN_PROVIDERS]);
  });
});
