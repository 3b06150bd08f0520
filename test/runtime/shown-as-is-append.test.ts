import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSop } from '../../src/runtime/index.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { tempFolder } from './helpers/run-fixture.js';

/** A writer then an editor appending to one log, the model answering each in turn. */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: shown, version: 1.0.0 }
messages: { Topic: {}, Draft: {}, Note: {} }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: "Write about {{ message.content }}"
        output: { type: Draft, format: text }
        artifacts: [{ path: log.md, mode: append, content: "{{ output }}" }]
  editor:
    profile: Editor
    watch: [Draft]
    actions:
      - id: edit
        prompt: "Edit {{ message.content }}"
        output: { type: Note, format: text }
        artifacts: [{ path: log.md, mode: append, content: "{{ output }}" }]
stop_when: { type: Note }
`;

async function runWith(answers: string[]): Promise<string> {
  const cwd = tempFolder();
  writeFileSync(path.join(cwd, 'shown.yaml'), SOP);
  const { sop } = await loadResolvedSop(path.join(cwd, 'shown.yaml'));
  const model = {
    provider: 'test',
    capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
    complete: async () => ({ text: answers.shift() ?? 'none', usage: { promptTokens: 1, completionTokens: 1, estimated: true }, model: 'test' }),
  };
  // `tok-demo-42` is a secret; the MCP server's command that holds it is shown as it is (a folder name is no secret).
  const result = await runSop(sop, { inputs: { idea: 'owls' }, cwd, workspace: path.join(cwd, 'out'), model, secrets: ['tok-demo-42'], shownAsIs: ['serve /home/tok-demo-42'] });
  expect(result.status).toBe('completed');
  return readFileSync(path.join(cwd, 'out', 'log.md'), 'utf8');
}

describe('mode: append beside a shown-as-is text that holds a secret', () => {
  it('the shown-as-is text stays as given when the next append lands after it', async () => {
    // Followed by enough text that the bytes an append masks again with the next piece (3 a character of the longest such text, less one) hold its secret but not its start.
    const after = ' and'.repeat(13);
    expect(await runWith([`ran serve /home/tok-demo-42${after}`, ' then more'])).toBe(`ran serve /home/tok-demo-42${after} then more`);
  });

  it('the secret alone is still masked, also split across the two appends', async () => {
    expect(await runWith(['key tok-de', 'mo-42 and serve /home/tok-demo-42'])).toBe('key *** and serve /home/tok-demo-42');
  });
});
