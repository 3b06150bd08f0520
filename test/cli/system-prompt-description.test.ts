import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A message type's description is put in the system prompt after "Your reply becomes a X message:";
 * one that ends its own sentence (as `sop init`'s do) got a second full stop there ("the idea..").
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 1.0.0 }
messages:
  Idea: { description: The idea. }
  Draft: { description: A short Markdown text about the idea. }
  Notes: { description: notes on the draft }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - { id: write, prompt: "Write about {{ message.content }}", output: { type: Draft, format: markdown } }
  reader:
    profile: Reader
    watch: [Draft]
    actions:
      - { id: read, prompt: "Read {{ message.content }}", output: { type: Notes, format: markdown } }
stop_when: { type: Notes }
`;

describe('the output contract in the system prompt', () => {
  it('ends with one full stop, whether the description has its own or not', async () => {
    const cwd = tempDir('sop-system-prompt-');
    writeFileSync(path.join(cwd, 'notes.yaml'), SOP);
    const result = await sop(['prompts', 'notes.yaml', 'tides'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Your reply becomes a Draft message: A short Markdown text about the idea.\nReply in Markdown.');
    expect(result.stdout).toContain('Your reply becomes a Notes message: notes on the draft.\nReply in Markdown.');
    expect(result.stdout).not.toContain('..');
  });
});
