import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A payload schema whose `$ref` points at no `$defs` entry was refused at the schema file's line 1
 * with ajv's "can't resolve reference #/$defs/Issue from id #" and the dialect hint. It is located at
 * the `$ref`, saying what is defined there, with did-you-mean or the `$defs` entry to write.
 */
async function project(defs: Record<string, unknown> | undefined): Promise<{ cwd: string; file: string }> {
  const dir = tempDir();
  expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
  const cwd = path.join(dir, 'p');
  const name = readdirSync(path.join(cwd, 'schemas'))[0]!;
  const file = path.join('schemas', name);
  const schema = JSON.parse(readFileSync(path.join(cwd, file), 'utf8')) as { properties: { issues: { items: unknown } }; $defs?: unknown };
  schema.properties.issues.items = { $ref: '#/$defs/Isue' };
  if (defs) schema.$defs = defs;
  writeFileSync(path.join(cwd, file), `${JSON.stringify(schema, null, 2)}\n`);
  return { cwd, file };
}

describe('sop validate: a $ref to a $defs entry that is not there', () => {
  it('without $defs: located at the $ref, with the $defs entry to write', async () => {
    const { cwd, file } = await project(undefined);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(new RegExp(`^${file.replace('.', '\\.')}:2[0-9]:17: error PAYLOAD_SCHEMA_INVALID: invalid payload schema for \`\\w+\` at ${file.replace('.', '\\.')}#/properties/issues/items/\\$ref: \`\\$ref\` "#/\\$defs/Isue" points at nothing in this schema$`, 'm'));
    expect(result.stdout).toContain('  expected: a `$defs` entry named `Isue`\n  hint: define it at the schema\'s top level: `"$defs": { "Isue": { "type": "object", ... } }`');
    expect(result.stdout).not.toContain("can't resolve reference");
  });

  it('with $defs: the names defined, and did-you-mean', async () => {
    const { cwd } = await project({ Issue: { type: 'string' } });
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('  expected: one of: #/$defs/Issue\n  hint: did you mean `Issue`?');
  });
});
