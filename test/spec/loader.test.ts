import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { loadResolvedSop, SUPPORTED_API_VERSIONS, validateSopFile, validateSopText } from '../../src/spec/index.js';
import { cleanTempDirs, errors, positionOf, tempDir, VALID_SOP, writeFiles } from './helpers.js';

afterAll(cleanTempDirs);

describe('reading the file', () => {
  test('a missing file is FILE_NOT_FOUND, not a crash', async () => {
    const result = await validateSopFile('does/not/exist.yaml', { cwd: tempDir() });
    expect(result.sop).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ code: 'FILE_NOT_FOUND', severity: 'error', file: 'does/not/exist.yaml' }]);
  });

  test('a folder is FILE_UNREADABLE', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'folder.yaml'));
    const result = await validateSopFile('folder.yaml', { cwd: dir });
    expect(result.diagnostics).toMatchObject([{ code: 'FILE_UNREADABLE', file: 'folder.yaml' }]);
  });

  test('diagnostics name the file as the user gave it (relative to cwd)', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sops/bad.yaml': VALID_SOP.replace('watch: [UserRequirement]', 'watch: [Nope]') });
    const result = await validateSopFile('sops/bad.yaml', { cwd: dir });
    expect(errors(result)[0]).toMatchObject({ code: 'MESSAGE_TYPE_UNDECLARED', file: 'sops/bad.yaml' });
  });

  test('loadResolvedSop throws a SopError carrying every diagnostic', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sop.yaml': VALID_SOP.replace('kind: SOP', 'kind: SOPS').replace('profile: Writer', 'profile: 5') });
    const error = await loadResolvedSop('sop.yaml', { cwd: dir }).catch((thrown: unknown) => thrown);
    expect(isSopError(error)).toBe(true);
    if (!isSopError(error)) return;
    expect(error.code).toBe('SCHEMA_ENUM');
    expect(error.exitCode).toBe(3);
    expect(error.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['SCHEMA_ENUM', 'SCHEMA_TYPE']);
  });

  test('loadResolvedSop of a missing file exits as a usage error', async () => {
    const error = await loadResolvedSop('missing.yaml', { cwd: tempDir() }).catch((thrown: unknown) => thrown);
    expect(isSopError(error) && error.code).toBe('FILE_NOT_FOUND');
    expect(isSopError(error) && error.exitCode).toBe(2);
  });

  test('loadResolvedSop returns the SOP and its warnings', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'sop.yaml': VALID_SOP.replace('stop_when: { type: Summary }\n', '') });
    const { sop, warnings } = await loadResolvedSop(path.join(dir, 'sop.yaml'));
    expect(sop.name).toBe('demo');
    expect(warnings.map((warning) => warning.code)).toEqual(['MESSAGE_UNWATCHED']);
  });
});

describe('YAML layer', () => {
  test('a comments-only file is empty', async () => {
    const result = await validateSopText('# nothing here\n# at all\n', 'c.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'YAML_EMPTY', line: 1, column: 1, message: 'empty SOP file' }]);
  });

  test('several documents are refused at the second one', async () => {
    const result = await validateSopText(`${VALID_SOP}---\nkind: SOP\n`, 'm.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'YAML_MULTIPLE_DOCUMENTS', line: VALID_SOP.split('\n').length }]);
  });

  test('a scalar at the top level is not a mapping', async () => {
    const result = await validateSopText('just some text\n', 's.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'YAML_NOT_MAPPING', line: 1, column: 1 }]);
  });

  test('a duplicate key deep inside is located at the second key', async () => {
    const text = VALID_SOP.replace('    profile: Writer\n', '    profile: Writer\n    profile: Editor\n');
    const result = await validateSopText(text, 'd.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'YAML_DUPLICATE_KEY', ...positionOf(text, 'profile: Editor') }]);
    expect(result.diagnostics[0]?.hint).toContain(`line ${positionOf(text, 'profile: Writer').line}`);
  });

  test('a YAML syntax error is located at the parser\'s position', async () => {
    const text = 'apiVersion: sop/v1\nroles:\n\t- b\n';
    const result = await validateSopText(text, 'y.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'YAML_SYNTAX', line: 3, column: 1 }]);
    expect(result.diagnostics[0]?.message).toBe('a tab in the indentation');
  });

  test('validating leaves `process.env` the process\'s own object (yaml\'s parser reads a plain copy of it)', async () => {
    const env = process.env;
    await validateSopText(VALID_SOP, 'sop.yaml');
    await validateSopText('roles: [\n', 'broken.yaml');
    expect(process.env).toBe(env);
  });

  test('more than 100 aliases are refused', async () => {
    const aliases = Array.from({ length: 101 }, () => '*x').join(', ');
    const text = `apiVersion: sop/v1\nkind: SOP\nx: &x 1\nlist: [${aliases}]\n`;
    const result = await validateSopText(text, 'a.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'YAML_ALIAS_LIMIT', line: 4 }]);
  });

  test('a few aliases are fine and read as their anchor', async () => {
    const text = VALID_SOP.replace('watch: [UserRequirement]', 'watch: &watched [UserRequirement]').replace(
      '        output: { type: Summary }',
      '        when: { type: *watched }\n        output: { type: Summary }',
    );
    const result = await validateSopText(text, '/tmp/alias.yaml');
    expect(errors(result)).toEqual([]);
    expect(result.sop?.roles[0]?.actions[0]?.whenTypes).toEqual(['UserRequirement']);
  });
});

test('YAML merge keys (`<<: *anchor`) work', async () => {
  const text = VALID_SOP.replace('    watch: [UserRequirement]\n', '    watch: [UserRequirement]\n    memory: { <<: &memory { policy: chain, size: 3 }, size: 5 }\n');
  const result = await validateSopText(text, '/tmp/merge.yaml');
  expect(errors(result)).toEqual([]);
  expect(result.sop?.roles[0]?.memory).toEqual({ policy: 'chain', size: 5 });
});

describe('envelope', () => {
  test('the supported versions are sop/v1', () => {
    expect(SUPPORTED_API_VERSIONS).toEqual(['sop/v1']);
  });

  test('a missing apiVersion is refused at the top and nothing else is reported', async () => {
    const text = VALID_SOP.replace('apiVersion: sop/v1\n', '').replace('kind: SOP', 'kind: 5');
    const result = await validateSopText(text, 'v.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'API_VERSION_UNSUPPORTED', line: 1, column: 1, expected: 'one of: sop/v1' }]);
  });

  test('metadata.requires not satisfied by the runner is REQUIRES_UNSATISFIED at the field', async () => {
    const text = VALID_SOP.replace('version: 1.0.0 }', 'version: 1.0.0, requires: ">=2" }');
    const result = await validateSopText(text, 'r.yaml');
    expect(result.diagnostics).toMatchObject([{ code: 'REQUIRES_UNSATISFIED', ...positionOf(text, '">=2"') }]);
    const accepted = await validateSopText(text, 'r.yaml', { runnerVersion: '2.1.0' });
    expect(errors(accepted)).toEqual([]);
  });

  test('prerelease runners satisfy ranges (includePrerelease)', async () => {
    const text = VALID_SOP.replace('version: 1.0.0 }', 'version: 1.0.0, requires: ">=0.1 <1" }');
    expect(errors(await validateSopText(text, 'r.yaml', { runnerVersion: '0.2.0-beta.1' }))).toEqual([]);
  });

  test('an unparsable range is a pattern error, and validation goes on', async () => {
    const text = VALID_SOP.replace('version: 1.0.0 }', 'version: 1.0.0, requires: banana }').replace('profile: Writer', 'profile: 5');
    const result = await validateSopText(text, 'r.yaml');
    expect(result.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line])).toEqual([
      ['SCHEMA_PATTERN', 3],
      ['SCHEMA_TYPE', positionOf(text, 'profile: 5').line],
    ]);
  });
});
