import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** An SOP naming its model in `settings` and in one role, with `model` written by the test. */
function project(settingsModel: string, roleModel: string): string {
  const dir = tempDir('sop-model-typo-');
  writeFileSync(path.join(dir, 'sop.config.yaml'), 'models:\n  strong: openai:gpt-4o\n');
  writeFileSync(path.join(dir, 'sop.yaml'), `apiVersion: sop/v1
kind: SOP
metadata: { name: typo, version: 0.1.0 }
settings: { model: ${settingsModel} }
messages: { Idea: {}, Done: {} }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Done }
roles:
  agent:
    profile: Agent
    watch: [Idea]
    model: ${roleModel}
    actions:
      - { id: go, prompt: "x", output: { type: Done } }
`);
  return dir;
}

describe('a model name the SOP writes that no provider serves (a typo)', () => {
  it('is refused where the SOP writes it (file:line:col), with the closest known model, before anything runs', async () => {
    const cwd = project('offline', '{ name: strnog, temperature: 0 }');
    const result = await sop(['run', 'sop.yaml', 'an idea'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sop\.yaml:12:20: error PROVIDER_UNKNOWN: cannot tell which provider serves model `strnog` in the SOP\n/);
    expect(result.stderr).toContain('  expected: a model: offline, strong (aliases from sop.config.yaml `models`), or provider:model (e.g. openai:gpt-4o-mini)\n');
    expect(result.stderr).toContain('  hint: did you mean `strong`?\n');
    expect(result.stderr).not.toMatch(STACK_LINE);
    const settings = await sop(['run', 'sop.yaml', 'an idea'], { cwd: project('strnog', 'offline') });
    expect(settings.stderr).toMatch(/^sop\.yaml:4:20: error PROVIDER_UNKNOWN: /);
  });

  it('--model replaces the SOP\'s models: the run goes on', async () => {
    const result = await sop(['run', 'sop.yaml', 'an idea', '--model', 'offline', '--quiet'], { cwd: project('strnog', 'strnog') });
    expect(result.code, result.stderr).toBe(0);
  });
});
