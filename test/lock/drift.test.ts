import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { assertNoDrift, compareLocks, formatLock, lockedModels, partialNames, readLockFile, referenceLabel, type SopLock } from '../../src/lock/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-lock-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lock(overrides: Partial<SopLock> = {}): SopLock {
  return {
    lockVersion: 1,
    sop: { path: 'sop.yaml', name: 'x', version: '1.0.0', apiVersion: 'sop/v1', sha256: 'a'.repeat(64) },
    runner: { requires: null, lockedWith: '0.1.0' },
    files: { 'prompts/a.liquid': '1'.repeat(64), 'schemas/b.json': '2'.repeat(64) },
    models: { '(default)': 'offline' },
    ...overrides,
  };
}

describe('compareLocks', () => {
  it('finds nothing when equal, and tells changed, missing, removed and added files and models apart', () => {
    expect(compareLocks(lock(), lock(), dir)).toEqual([]);
    mkdirSync(path.join(dir, 'schemas'), { recursive: true });
    writeFileSync(path.join(dir, 'schemas', 'b.json'), '{}');
    const current = lock({
      sop: { ...lock().sop, sha256: 'b'.repeat(64) },
      // a.liquid gone from disk (missing), b.json still on disk but unreferenced (removed), c added.
      files: { 'prompts/c.liquid': '3'.repeat(64) },
      models: { '(default)': 'openai:gpt-4o-mini', fast: 'openai:gpt-4o' },
    });
    expect(compareLocks(lock(), current, dir).map(({ subject, name, kind }) => `${subject} ${name} ${kind}`)).toEqual([
      'sop sop.yaml changed',
      'file prompts/a.liquid missing',
      'file prompts/c.liquid added',
      'file schemas/b.json removed',
      'model (default) changed',
      'model fast added',
    ]);
    expect(compareLocks(lock(), lock({ sop: { ...lock().sop, path: 'other.yaml' } }), dir)).toEqual([
      { subject: 'sop', name: 'other.yaml', kind: 'other-sop', locked: 'sop.yaml', current: 'other.yaml' },
    ]);
  });

  it('assertNoDrift throws LOCK_DRIFT with one located diagnostic per drifted file and the hint on the last', () => {
    const current = lock({ files: { ...lock().files, 'prompts/a.liquid': '9'.repeat(64) } });
    try {
      assertNoDrift(lock(), current, { lockFile: path.join(dir, 'sop.lock'), sopDisplay: 'x/sop.yaml', display: (file) => path.relative(dir, file) });
      throw new Error('no error');
    } catch (error) {
      if (!isSopError(error)) throw error;
      expect(error.code).toBe('LOCK_DRIFT');
      expect(error.exitCode).toBe(12);
      expect(error.message).toBe('x/sop.yaml drifted from sop.lock (1 difference):\n  - prompts/a.liquid: changed since sop.lock pinned it (sha256 111111111111 there, now 999999999999)');
      expect(error.diagnostics.map((diagnostic) => [diagnostic.file, diagnostic.message])).toEqual([
        ['sop.lock', 'x/sop.yaml drifted from sop.lock (1 difference)'],
        [path.join('prompts', 'a.liquid'), 'changed since sop.lock pinned it (sha256 111111111111 there, now 999999999999)'],
      ]);
      expect(error.diagnostics[1]?.hint).toContain('run `sop lock x/sop.yaml`');
    }
  });
});

describe('lock file', () => {
  it('formats with a stable key order and reads back what it wrote; refuses broken and newer locks with LOCK_INVALID', () => {
    const file = path.join(dir, 'round-trip.lock');
    const shuffled = lock({ files: { 'z.txt': '0'.repeat(64), 'a.txt': '1'.repeat(64) } });
    writeFileSync(file, formatLock(shuffled));
    expect(Object.keys(readLockFile(file, 'sop.yaml').files)).toEqual(['a.txt', 'z.txt']);
    const codeOf = (text: string): string => {
      writeFileSync(file, text);
      try {
        readLockFile(file, 'sop.yaml');
        return 'none';
      } catch (error) {
        return isSopError(error) ? `${error.code}: ${error.message}` : 'not a SopError';
      }
    };
    expect(codeOf('[]')).toBe(`LOCK_INVALID: ${file} is not a JSON object`);
    expect(codeOf('{"lockVersion": 2}')).toBe(`LOCK_INVALID: ${file} has lockVersion 2; this sop reads lockVersion 1`);
    expect(codeOf(JSON.stringify({ ...lock(), files: { a: 1 } }))).toBe(`LOCK_INVALID: ${file} has no valid \`files\` entry (an object of strings)`);
    expect(codeOf(JSON.stringify({ ...lock(), runner: {} }))).toBe(`LOCK_INVALID: ${file} has no valid \`runner\` entry (requires, lockedWith)`);
    expect(() => readLockFile(path.join(dir, 'absent.lock'), 'sop.yaml')).toThrow(expect.objectContaining({ code: 'LOCK_MISSING' }));
  });
});

describe('partials and models', () => {
  it('finds literal partial names in Liquid and Handlebars templates, not computed ones', () => {
    expect(partialNames("{% include 'header' %} {%- render \"parts/footer.liquid\", x: 1 -%} {% include name %}", 'liquid')).toEqual(['header', 'parts/footer.liquid']);
    expect(partialNames('{{> header}} {{~> footer arg}} {{#> layout}}x{{/layout}} {{> (lookup . "n")}}', 'handlebars')).toEqual(['header', 'footer', 'layout']);
  });

  it('keys each resolved model by the reference as written', () => {
    const models = lockedModels([undefined, { name: 'fast' }, { name: 'llama3.2', provider: 'ollama' }], (ref) =>
      ref?.name === undefined ? { provider: 'offline', model: 'offline' } : ref.name === 'fast' ? { provider: 'openai', model: 'gpt-4o-mini' } : { provider: 'ollama', model: 'llama3.2' },
    );
    expect(models).toEqual({ '(default)': 'offline', fast: 'openai:gpt-4o-mini', 'ollama:llama3.2': 'ollama:llama3.2' });
    expect(referenceLabel({ provider: 'ollama' })).toBe('ollama:(default)');
  });
});
