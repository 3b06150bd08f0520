import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A command gate that prints the file `EMOJI` and fails, stopping the run. */
const GATED_SOP = (emoji: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: uni, version: 1.0.0 }
messages:
  Idea: { description: the topic }
  Note: { description: a note }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a note about {{ message.content }}."
        output: { type: Note, format: markdown }
        artifacts: [{ path: note.md }]
        gates:
          - { name: cmd, command: { command: [sh, -c, 'cat "$0"; exit 1', ${JSON.stringify(emoji)}] }, on_fail: stop }
stop_when: { type: Note }
`;

const TESTS = `apiVersion: sop-test/v1
cases:
  - name: completes
    inputs: { idea: tea }
    expect: { status: completed }
`;

/** A project whose gate output is a line of emoji after `lead` (which moves where a cut falls). */
function project(lead: string): string {
  const dir = tempDir('sop-text-');
  writeFileSync(path.join(dir, 'sop.yaml'), GATED_SOP(path.join(dir, 'emoji.txt')));
  writeFileSync(path.join(dir, 'sop.test.yaml'), TESTS);
  writeFileSync(path.join(dir, 'emoji.txt'), `${lead}${'😀'.repeat(300)}\n`);
  return dir;
}

describe('text cut to fit never splits a character', () => {
  // Each emoji is two UTF-16 units: one of the two leads puts every cut between the two halves.
  for (const lead of ['', 'x']) {
    it(`a failing gate's feedback line in the progress is cut between emoji (lead "${lead}")`, async () => {
      const cwd = project(lead);
      const result = await sop(['run', 'sop.yaml', 'tea', '--workspace', 'ws'], { cwd });
      expect(result.code, result.stderr).toBe(7);
      const line = result.stderr.split('\n').find((text) => text.includes('😀'));
      expect(line, result.stderr).toMatch(/^ {4}x?(😀)+…$/u);
      expect(result.stderr).not.toContain('\uFFFD');
    });

    it(`sop test's line for a case a gate stopped quotes its feedback cut between emoji (lead "${lead}")`, async () => {
      const cwd = project(lead);
      const result = await sop(['test', 'sop.test.yaml'], { cwd });
      expect(result.code, result.stdout + result.stderr).toBe(16);
      expect(result.stdout).toMatch(/stopped it: .*😀…/u);
      expect(result.stdout + result.stderr).not.toContain('\uFFFD');
    });
  }
});
