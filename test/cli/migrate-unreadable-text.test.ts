import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const SOP = 'apiVersion: sop/v1\nkind: SOP\nmetadata: { name: m }\nroles:\n  a:\n    profile: A\n    goal: g\n';

/**
 * `sop migrate` read its file as `toString('utf8')`: a Latin-1 SOP every other command refuses
 * (exit 2, located) was "already sop/v1, nothing to do" (exit 0), its bytes a migration would
 * write back as U+FFFD; binary data was a YAML syntax error (exit 3).
 */
describe('sop migrate on a file that is not UTF-8 text', () => {
  it('bytes that are not UTF-8: refused as `sop validate` refuses them, located, exit 2, the file untouched', async () => {
    const cwd = tempDir('sop-migrate-latin-');
    const bytes = Buffer.concat([Buffer.from(SOP), Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    writeFileSync(path.join(cwd, 'sop.yaml'), bytes);
    for (const args of [['migrate', 'sop.yaml'], ['migrate', 'sop.yaml', '--write']]) {
      const result = await sop(args, { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('sop.yaml:8:6: error FILE_UNREADABLE: cannot read sop.yaml: it is not valid UTF-8 (byte 0xE9; Latin-1 or Windows-1252?)\n  hint: save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8)\n');
      expect(readFileSync(path.join(cwd, 'sop.yaml'))).toEqual(bytes);
    }
    const validate = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validate.code).toBe(2);
    expect(validate.stdout + validate.stderr).toContain('sop.yaml:8:6: error FILE_UNREADABLE');
  });

  it('binary data: FILE_UNREADABLE (exit 2) at the NUL byte, not a YAML syntax error (exit 3); --json gives file, line and column', async () => {
    const cwd = tempDir('sop-migrate-binary-');
    writeFileSync(path.join(cwd, 'data.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0x22, 0x00, 0x01, 0x22, 0x0a]));
    const result = await sop(['migrate', 'data.yaml', '--json'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toMatch(STACK_LINE);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'FILE_UNREADABLE', file: 'data.yaml', line: 1, column: 5, message: 'cannot read data.yaml: it holds binary data (a NUL byte), not text' },
    });
  });

  it('a UTF-8 BOM is still read (a Windows editor writes one): nothing to do, exit 0', async () => {
    const cwd = tempDir('sop-migrate-bom-');
    writeFileSync(path.join(cwd, 'sop.yaml'), '\uFEFF' + SOP.replace(/\n/g, '\r\n'));
    const result = await sop(['migrate', 'sop.yaml'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('sop.yaml: already sop/v1, nothing to do\n');
  });
});
