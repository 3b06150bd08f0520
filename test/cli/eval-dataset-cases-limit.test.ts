import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const NOTE_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 1.0.0 }
messages:
  Topic: { description: the topic }
  Note: { description: a note }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write_note
        prompt: "Write a note on {{ message.content }}."
        output: { type: Note, format: markdown }
stop_when: { type: Note }
`;

/**
 * A dataset of 100,001 cases is refused before its cases are checked: each checked case keeps where
 * its fields are written, and a valid 1,000,000-line JSONL file (29 MB, under the 64 MB file bound)
 * ran out of a 4 GB heap before any case ran.
 */
describe('a dataset of more than 100,000 cases', () => {
  const count = 100_001;
  it.each([
    ['jsonl', Array.from({ length: count }, (_, index) => JSON.stringify({ name: `case ${index}`, inputs: { idea: 'tides' } })).join('\n')],
    ['csv', ['name,idea', ...Array.from({ length: count }, (_, index) => `case ${index},tides`)].join('\n')],
  ])('in %s: FILE_TOO_LARGE (exit 2) naming the count and the bound, with how to split it', async (format, text) => {
    const cwd = tempDir('sop-eval-cases-limit-');
    writeFileSync(path.join(cwd, 'sop.yaml'), NOTE_SOP);
    writeFileSync(path.join(cwd, `cases.${format}`), `${text}\n`);
    const result = await sop(['eval', 'sop.yaml', '--dataset', `cases.${format}`], { cwd });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error FILE_TOO_LARGE: dataset cases.${format} has 100,001 cases, more than the 100,000 one dataset may hold`);
    expect(result.stderr).toContain('hint: split it into several datasets');
  }, 60_000);
});
