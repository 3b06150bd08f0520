import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateSopFile } from '../../src/spec/index.js';
import { BAD_FIXTURES, errors, warnings } from './helpers.js';

const fixture = (name: string) => validateSopFile(path.join(BAD_FIXTURES, name));

/** The one error each shared bad fixture must produce: code, line, column (see its README). */
const EXPECTED: Record<string, { code: string; line: number; column: number }> = {
  'alias-bomb.yaml': { code: 'YAML_ALIAS_LIMIT', line: 8, column: 11 },
  'artifact-path-escape.yaml': { code: 'ARTIFACT_PATH_ESCAPE', line: 17, column: 19 },
  'bad-schema-in-message.yaml': { code: 'PAYLOAD_SCHEMA_INVALID', line: 7, column: 21 },
  'duplicate-keys.yaml': { code: 'YAML_DUPLICATE_KEY', line: 4, column: 1 },
  'empty.yaml': { code: 'YAML_EMPTY', line: 1, column: 1 },
  'root-is-list.yaml': { code: 'YAML_NOT_MAPPING', line: 1, column: 1 },
  'syntax-error.yaml': { code: 'YAML_SYNTAX', line: 5, column: 16 },
  'template-syntax-error.yaml': { code: 'TEMPLATE_SYNTAX', line: 14, column: 28 },
  'typo-field.yaml': { code: 'SCHEMA_UNKNOWN_FIELD', line: 11, column: 5 },
  'undeclared-message-type.yaml': { code: 'MESSAGE_TYPE_UNDECLARED', line: 14, column: 25 },
  'unknown-api-version.yaml': { code: 'API_VERSION_UNSUPPORTED', line: 1, column: 13 },
};

describe('shared bad fixtures', () => {
  test('every fixture file is covered by a test', () => {
    const files = readdirSync(BAD_FIXTURES).filter((name) => name.endsWith('.yaml')).sort();
    expect(files).toEqual([...Object.keys(EXPECTED), 'unreachable-role.yaml'].sort());
  });

  test.each(Object.entries(EXPECTED))('%s is refused with exactly one located error', async (name, expected) => {
    const result = await fixture(name);
    expect(result.sop).toBeUndefined();
    const found = errors(result);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ...expected, file: path.join(BAD_FIXTURES, name) });
  });

  test('empty.yaml says "empty SOP file"', async () => {
    expect(errors(await fixture('empty.yaml'))[0]?.message).toBe('empty SOP file');
  });

  test('root-is-list.yaml says a mapping was expected at the top level', async () => {
    expect(errors(await fixture('root-is-list.yaml'))[0]?.message).toBe('expected a mapping at the top level');
  });

  test('syntax-error.yaml points at the unclosed quote', async () => {
    const [error] = errors(await fixture('syntax-error.yaml'));
    expect(error?.message).toMatch(/quoted string is never closed/);
  });

  test('unknown-api-version.yaml lists the supported versions and stops there', async () => {
    const result = await fixture('unknown-api-version.yaml');
    expect(result.diagnostics).toHaveLength(1); // not also `roles: {}` being empty
    expect(result.diagnostics[0]?.expected).toContain('sop/v1');
    expect(result.diagnostics[0]?.message).toContain('sop/v9');
  });


  test('duplicate-keys.yaml names the key and the first occurrence', async () => {
    const [error] = errors(await fixture('duplicate-keys.yaml'));
    expect(error?.message).toContain('`metadata`');
    expect(error?.hint).toContain('line 3');
  });

  test('typo-field.yaml suggests `watch` and does not also report `watch` missing', async () => {
    const [error] = errors(await fixture('typo-field.yaml'));
    expect(error?.message).toBe('unknown field `wacth`');
    expect(error?.hint).toBe('did you mean `watch`?');
    expect(error?.pointer).toBe('/roles/writer/wacth');
  });

  test('undeclared-message-type.yaml lists the declared types', async () => {
    const [error] = errors(await fixture('undeclared-message-type.yaml'));
    expect(error?.message).toContain('`Sumary`');
    expect(error?.expected).toBe('declared: UserRequirement');
    expect(error?.pointer).toBe('/roles/writer/actions/0/output/type');
  });

  test('template-syntax-error.yaml reports the SOP line of the prompt', async () => {
    const [error] = errors(await fixture('template-syntax-error.yaml'));
    expect(error?.pointer).toBe('/roles/writer/actions/0/prompt');
    expect(error?.message).toMatch(/is never closed: add/);
  });

  test('artifact-path-escape.yaml is refused at validate time', async () => {
    const [error] = errors(await fixture('artifact-path-escape.yaml'));
    expect(error?.pointer).toBe('/roles/writer/actions/0/artifacts/0/path');
  });

  test('bad-schema-in-message.yaml names the path inside the schema and suggests `object`', async () => {
    const [error] = errors(await fixture('bad-schema-in-message.yaml'));
    expect(error?.pointer).toBe('/messages/PRD/schema/type');
    expect(error?.message).toContain('/messages/PRD/schema/type');
    expect(error?.expected).toBe('one of: array, boolean, integer, null, number, object, string');
    expect(error?.hint).toBe('did you mean `object`?');
  });

  test('unreachable-role.yaml is valid with a warning naming `editor`', async () => {
    const result = await fixture('unreachable-role.yaml');
    expect(errors(result)).toEqual([]);
    expect(result.sop).toBeDefined();
    const unreachable = warnings(result).filter((warning) => warning.code === 'ROLE_UNREACHABLE');
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toMatchObject({ line: 17, column: 3, pointer: '/roles/editor' });
    expect(unreachable[0]?.message).toContain('`editor`');
    expect(unreachable[0]?.message).toContain('`Review`');
  });
});
