import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A script model chosen by the configuration file (`.soprc.yaml`: `default_model: script:answers.yaml`)
 * was called "model `script:answers.yaml`", or its missing file was to be fixed with a `--model` the
 * command was not given: errors about it now name the file and field that chose it, as `--model`
 * errors name the flag.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: config-script, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  Plan: { description: the plan }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Plan }
roles:
  planner:
    profile: Planner
    watch: [Idea]
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: markdown }
`;

function project(): string {
  const cwd = tempDir('sop-config-script-');
  writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
  return cwd;
}

describe('a script default model set by the configuration file', () => {
  it('a missing script is named as the script of default_model in .soprc.yaml (exit 2), and the hint fixes that field, not a --model', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, '.soprc.yaml'), '# the team answers from a script\ndefault_model: script:answers.yaml\n');
    const result = await sop(['run', 'sop.yaml', 'x', '--ci'], { cwd });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('error FILE_NOT_FOUND: cannot read script answers.yaml: no such file (the script of `default_model: script:answers.yaml`, .soprc.yaml:2)');
    expect(result.stderr).toContain('hint: create it, or set default_model in .soprc.yaml:2 to the path of a script file: default_model: script:path/to/answers.yaml');
    expect(result.stderr).not.toContain('--model');

    // The same script named by --model keeps the flag's wording.
    const flagged = await sop(['run', 'sop.yaml', 'x', '--ci', '--model', 'script:answers.yaml'], { cwd });
    expect(flagged.code).toBe(2);
    expect(flagged.stderr).toContain('hint: pass the path of a script file: --model script:path/to/answers.yaml');
    expect(flagged.stderr).not.toContain('.soprc.yaml');
  });

  it('a script the configuration adds to a pinned SOP is named by its field and file in the drift (LOCK_DRIFT, exit 12)', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers: []\n');
    expect((await sop(['lock', 'sop.yaml'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, '.soprc.yaml'), 'default_model: script:answers.yaml\n');
    const frozen = await sop(['run', 'sop.yaml', 'x', '--frozen', '--ci'], { cwd });
    expect(frozen.stderr).not.toMatch(STACK_LINE);
    expect(frozen.code, frozen.stderr).toBe(12);
    expect(frozen.stderr).toContain('answers.yaml: error LOCK_DRIFT: added (the script of `default_model: script:answers.yaml` (.soprc.yaml:1), not in sop.lock)');
    expect(frozen.stderr).not.toContain('model `script:answers.yaml`');

    rmSync(path.join(cwd, '.soprc.yaml'));
    const flagged = await sop(['run', 'sop.yaml', 'x', '--frozen', '--ci', '--model', 'script:answers.yaml'], { cwd });
    expect(flagged.stderr).toContain('added (the script of `--model script:answers.yaml`, not in sop.lock)');
  });
});
