import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { TEST_KEY, expectNoSecret, project, run } from './providers-helpers.js';

/**
 * A key the provider rejects after some steps succeeded (an HTTP 401 on the second call) is the key
 * the SOP's `model:` line chose: the annotation points there, as a missing key's refusal does, and
 * still names the action that was refused.
 */

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: two, version: 0.1.0 }
settings:
  model: openai:gpt-4o-mini
messages:
  Idea: {}
  Note: {}
  Final: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Final }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a note about {{ message.content }}"
        output: { type: Note, format: markdown }
  editor:
    profile: Editor
    watch: [Note]
    actions:
      - id: edit
        prompt: "Edit {{ message.content }}"
        output: { type: Final, format: markdown }
`;

/** A server that answers the first chat request and answers 401 to the later ones (the key revoked mid-run). */
async function revokedAfterFirst(context: TestContext) {
  let chats = 0;
  const fake = await startFakeOpenAI({ faults: () => (++chats <= 1 ? undefined : { kind: 'status', status: 401 }) });
  context.onTestFinished(() => fake.close());
  return fake;
}

describe('a key rejected mid-run', () => {
  it("is annotated at the SOP's model line, naming the refused action", async (context) => {
    const fake = await revokedAfterFirst(context);
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const summary = path.join(cwd, 'summary.md');
    const result = await run(cwd, ['run', 'sop.yaml', 'owls', '--junit', 'junit.xml'], {
      OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: fake.url, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(10);
    // \`settings.model\` (line 5, column 10) chose the key, not the edit action's prompt (line 25).
    expect(result.stderr).toMatch(/^::error file=sop\.yaml,line=5,col=10,title=sop run failed \(exit 10\)::PROVIDER_AUTH: role editor, action edit: the API key was refused/m);
    // The error line too, with the model line shown, as a missing key's refusal reads.
    expect(result.stderr).toMatch(/^sop\.yaml:5:10: error PROVIDER_AUTH: role editor, action edit: the API key was refused by openai http:\/\/127\.0\.0\.1:\d+\/v1 \(401: /m);
    expect(result.stderr).toContain('  > 5 |   model: openai:gpt-4o-mini');
    expectNoSecret(TEST_KEY, cwd, [result]);
  });

  it('a role\'s own model line is the one named; a model --model chose keeps the action\'s place', async (context) => {
    const fake = await revokedAfterFirst(context);
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP.replace('    profile: Editor\n', '    profile: Editor\n    model: openai:fake-model\n'));
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: fake.url, GITHUB_ACTIONS: 'true' };
    const own = await run(cwd, ['run', 'sop.yaml', 'owls'], env);
    expect(own.code, own.stderr).toBe(10);
    expect(own.stderr).toMatch(/^::error file=sop\.yaml,line=22,col=12,title=sop run failed \(exit 10\)::PROVIDER_AUTH: role editor, action edit: /m);
    const flagged = await run(cwd, ['run', 'sop.yaml', 'owls', '--model', 'openai:gpt-4o-mini'], env);
    expect(flagged.code, flagged.stderr).toBe(10);
    // No line of the SOP chose the key: the action's prompt, as before.
    expect(flagged.stderr).toMatch(/^::error file=sop\.yaml,line=26,col=\d+,title=sop run failed \(exit 10\)::PROVIDER_AUTH: role editor, action edit: /m);
    expect(flagged.stderr).toMatch(/^error PROVIDER_AUTH: role editor, action edit: /m);
    expectNoSecret(TEST_KEY, cwd, [own, flagged]);
  });
});
