import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_ADDITIONS, VARIABLE_ADDITIONS } from '../../src/spec/format-additions.js';
import { fromPointer } from '../../src/spec/pointer.js';
import { repoRoot, sop } from '../cli/run-cli.js';

/**
 * Every `sop/v1` addition of the compatibility table (src/spec/format-additions.ts) is in what
 * `sop schema` prints (what editors complete from) and in docs/format.md (generated from it), with
 * its description.
 */
describe('the fields added in 0.2 reach `sop schema`, editors and docs/format.md', () => {
  const rows = [...FORMAT_ADDITIONS, ...VARIABLE_ADDITIONS];
  let printed: unknown;
  beforeAll(async () => {
    const result = await sop(['schema']);
    expect(result.code, result.stderr).toBe(0);
    printed = JSON.parse(result.stdout);
  });

  it.each(rows.map((row) => [row.field, row.schema]))('%s is declared at %s, with a description format.md shows', (_field, pointer) => {
    let node: unknown = printed;
    for (const segment of fromPointer(pointer)) node = (node as Record<string, unknown> | undefined)?.[segment];
    expect(node, pointer).toBeTypeOf('object');
    const description = (node as { description?: unknown }).description;
    expect(description, `${pointer} has a description`).toBeTypeOf('string');
    expect(readFileSync(path.join(repoRoot, 'docs', 'format.md'), 'utf8')).toContain(description as string);
  });

  it('the variables are named in the description that documents them', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'sop.v1.schema.json'), 'utf8')) as { $defs: Record<string, { description: string }> };
    expect(schema.$defs['Role']?.description).toContain('`turn`');
    expect(schema.$defs['MessageType']?.description).toContain('`thread`');
  });
});
