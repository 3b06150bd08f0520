import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `required: true` on an input, as GitHub Actions inputs write it, was refused as an unknown field
 * ("remove it") without saying what required means in sop. It is accepted with sop's meaning (an
 * input is required exactly when it has no `default`), and refused, at `required`, only where it
 * contradicts the input's `default`.
 */
const sopWith = (inputs: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: blog, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
${inputs}
messages:
  Topic: {}
  Post: {}
start: [{ type: Topic, content: "{{ inputs.topic }} for {{ inputs.audience }}" }]
stop_when: { type: Post }
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - { id: write, prompt: "Write about {{ message.content }}", output: { type: Post, format: markdown } }
`;

afterAll(removeTempDirs);

function project(inputs: string): string {
  const cwd = tempDir('sop-input-required-');
  writeFileSync(path.join(cwd, 'sop.yaml'), sopWith(inputs));
  return cwd;
}

describe('an input written with required:', () => {
  it('required: true (no default) and required: false (with a default) are valid and mean what their default says', async () => {
    const cwd = project('  topic: { required: true, description: What the post is about }\n  audience: { required: false, default: engineers }');
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(0);
    expect(validated.stdout).toContain('sop.yaml: valid');
    expect(validated.stdout).toContain('0 errors, 0 warnings');
    // required: true is required: left out, the run is refused naming it.
    const missing = await sop(['run', 'sop.yaml'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('topic');
    expect(missing.stderr).not.toMatch(STACK_LINE);
    // required: false takes its default.
    const ran = await sop(['run', 'sop.yaml', '--input', 'topic=owls'], { cwd });
    expect(ran.code, ran.stderr).toBe(0);
  });

  it('required: true with a default, and required: false without one, are refused at required with what to change', async () => {
    const cwd = project('  topic: { required: false }\n  audience: { default: engineers, required: true }');
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain(
      'sop.yaml:5:22: error SCHEMA_VIOLATION: input `topic` is `required: false` without a `default`: an optional input needs the value it takes when not given\n' +
        '  expected: `default:` beside `required: false`\n' +
        '  hint: add a default (e.g. `default: ""`), or remove `required: false` to require the input',
    );
    expect(validated.stdout).toContain(
      'sop.yaml:6:45: error SCHEMA_VIOLATION: input `audience` is `required: true` and has a `default`: an input with a default is optional (the default is taken when it is not given)\n' +
        '  expected: an input is required exactly when it has no `default`\n' +
        '  hint: to require it, remove `default:`; to keep the default, remove `required: true`',
    );
    expect(validated.stdout).not.toContain('unknown field');
  });
});
