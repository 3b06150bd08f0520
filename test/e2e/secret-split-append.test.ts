import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { expectNoSecret, project, run } from './providers-helpers.js';

afterAll(removeTempDirs);

/** The value of `${env:SPLIT_TOKEN}`, a declared HTTP tool's header: a secret the run masks. */
const SECRET = 'sk-live-ABCDEF123';

/** A writer and an editor appending their outputs, with nothing between, to one log. */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: split, version: 1.0.0 }
tools:
  issue:
    description: Fetch an issue
    parameters: { type: object, properties: {} }
    http:
      url: "http://127.0.0.1:9/issues"
      headers: { Authorization: "Bearer \${env:SPLIT_TOKEN}" }
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

describe('mode: append with a secret split across two appends', () => {
  // 1.2 MB of three-byte characters before the first half: the 1 MB read chunk ends inside one, and so does the text held back for the mask.
  const before = '€'.repeat(400_000);
  it('the log holds the mask where the secret was, not its two halves; neither do the journal, the report nor the output', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'split.yaml'), SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1
answers:
  - { role: writer, action: write, output: "${before}sk-live-ABC" }
  - { role: editor, action: edit, output: "DEF123 done" }
`);
    const result = await run(cwd, ['run', 'split.yaml', 'owls', '--model', 'script:answers.yaml', '--workspace', 'out'], { SPLIT_TOKEN: SECRET });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'log.md'), 'utf8')).toBe(`${before}*** done`);
    // The workspace, the journal, report.json, report.html and the events: none holds the secret whole.
    expectNoSecret(SECRET, cwd, [result]);
  });
});
