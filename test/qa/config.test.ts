import { afterAll, describe, expect, it } from 'vitest';
import { project, removeTempDirs, sop, STACK_LINE } from './qa-helpers.js';

afterAll(removeTempDirs);

/** `sop config` in `dir` with no user configuration file. */
async function config(dir: string) {
  const result = await sop(['config'], { cwd: dir, env: { XDG_CONFIG_HOME: `${dir}/no-user-config` } });
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result;
}

describe('broken configuration files', () => {
  it('a package.json that is not JSON: CONFIG_INVALID with line and column, exit 11 (was "internal error", exit 1)', async () => {
    const result = await config(project({ 'package.json': '{"name": "x",\n  "sop": \n' }));
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/package\.json:1:1: error CONFIG_INVALID: this `\{` is never closed\n  hint: add the closing `\}`/);
    expect(result.stderr).not.toMatch(/internal error/);
  });

  it.each([
    ['providers: [\n', '1:12: error CONFIG_INVALID: this `[` is never closed\n  hint: add the closing `]`'],
    ['providers:\n  a: "x\n', '2:6: error CONFIG_INVALID: this quoted string is never closed'],
    ['providers:\n  a: {}\n   b: {}\n', '3:4: error CONFIG_INVALID: `b` at column 4 lines up with no key or `-` item above it\n  expected: column 3, as `a` on line 2'],
    ['default_model: a\ndefault_model: b\n', '2:1: error CONFIG_INVALID: duplicate key `default_model`\n  hint: the same key is already at line 1; keep one of them'],
  ])('a YAML mistake in sop.config.yaml (%j) is told as in an SOP, not in the YAML parser\'s words', async (text, said) => {
    // The parser's were "Flow sequence in block collection must be sufficiently indented and end with a ]", "Missing closing \"quote", "Nested mappings are not allowed in compact mappings", "Map keys must be unique".
    const result = await config(project({ 'sop.config.yaml': text }));
    expect(result.code).toBe(11);
    expect(result.stderr).toContain(`sop.config.yaml:${said}`);
  });

  it('a UTF-16 sop.config.yaml: CONFIG_INVALID saying it is not UTF-8, not a dump of its bytes', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('default_model: offline\n', 'utf16le')]);
    const result = await config(project({ 'sop.config.yaml': utf16 }));
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/sop\.config\.yaml:1:\d+: error CONFIG_INVALID: the file is not UTF-8 text/);
  });

  it('several YAML documents: said in words (not "use YAML.parseAllDocuments()")', async () => {
    const result = await config(project({ 'sop.config.yaml': 'default_model: offline\n---\nx: 1\n' }));
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/sop\.config\.yaml:2:1: error CONFIG_INVALID: the file holds more than one YAML document/);
  });

  it('a shell-style `${OPENAI_API_KEY}` would be sent as the key: refused with the fix', async () => {
    const result = await config(project({ 'sop.config.yaml': 'providers:\n  openai:\n    api_key: "${OPENAI_API_KEY}"\n' }));
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/sop\.config\.yaml:3:14: error CONFIG_INVALID: `\$\{OPENAI_API_KEY\}` in `providers\.openai\.api_key` is not an environment reference/);
    expect(result.stderr).toMatch(/hint: write `\$\{env:OPENAI_API_KEY\}`/);
  });

  it('`${env:}` with no name is refused at the value', async () => {
    const result = await config(project({ '.soprc': 'providers:\n  openai: {api_key: "${env:}"}\n' }));
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/\.soprc:2:21: error CONFIG_INVALID: `\$\{env:\}`/);
  });

  it('a sop.config.yaml that is a folder is not skipped in silence: FILE_UNREADABLE, exit 2', async () => {
    const dir = project({ 'sop.config.yaml/keep': '' });
    const result = await config(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error FILE_UNREADABLE: cannot read .*sop\.config\.yaml: it is a folder$/m);
  });

  it('a JS config exporting a function: "a JavaScript function" (not "the function undefined")', async () => {
    const result = await config(project({ 'sop.config.mjs': 'export default function () {}\n' }));
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/error CONFIG_INVALID: `configuration` must be a mapping, not a JavaScript function/);
  });
});
