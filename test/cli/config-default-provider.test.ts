import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A `default_provider` typo in the project's configuration file was refused only when a bare model
 * name needed it (mid-run, or never). `sop validate` and `sop run` (before anything runs) now refuse
 * it at its line in the file, with the provider meant, as CONFIG_INVALID (exit 11).
 */
describe('a default_provider that names no provider', () => {
  it.each([
    ['sop.config.yaml', 'models:\n  strong: openai:gpt-4o\ndefault_provider: opnai\n', 'sop.config.yaml:3:19'],
    ['.soprc.json', '{\n  "default_provider": "olama"\n}\n', '.soprc.json:2:23'],
  ])('%s: sop validate and sop run refuse it at its line, with did-you-mean (exit 11)', async (name, text, place) => {
    const dir = tempDir('sop-default-provider-');
    expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
    const cwd = path.join(dir, 'p');
    writeFileSync(path.join(cwd, name), text);
    const meant = name === '.soprc.json' ? 'ollama' : 'openai';
    const given = name === '.soprc.json' ? 'olama' : 'opnai';
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout + validated.stderr).toBe(11);
    expect(validated.stdout).toContain([
      `${place}: error CONFIG_INVALID: default_provider \`${given}\` is not a provider`,
      '  expected: one of: anthropic, offline, ollama, openai',
      `  hint: did you mean \`${meant}\`?`,
    ].join('\n'));
    expect(validated.stdout).toMatch(/^sop\.yaml: valid$/m);
    expect(validated.stdout + validated.stderr).not.toMatch(STACK_LINE);

    // The run uses no bare model name: it went on before, the typo unseen.
    const run = await sop(['run', 'sop.yaml', 'tides'], { cwd });
    expect(run.code, run.stderr).toBe(11);
    expect(run.stderr).toContain(`default_provider \`${given}\` is not a provider`);
    expect(run.stderr).toContain(`hint: did you mean \`${meant}\`?`);
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
  });

  it('a provider configured under `providers:` is a name default_provider may use; validate lists no configuration then', async () => {
    const dir = tempDir('sop-default-provider-');
    expect((await sop(['init', 'p'], { cwd: dir })).code).toBe(0);
    const cwd = path.join(dir, 'p');
    writeFileSync(path.join(cwd, 'sop.config.yaml'), 'providers:\n  local:\n    kind: openai\n    base_url: http://127.0.0.1:9/v1\ndefault_provider: local\n');
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(0);
    expect(validated.stdout).toBe('sop.yaml: valid\n1 file: 1 valid, 0 invalid, 0 errors, 0 warnings\n');
  });
});
