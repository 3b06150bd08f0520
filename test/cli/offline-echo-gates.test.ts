import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * The offline model's placeholder must not pass a content gate by repeating the prompt: its text
 * and Markdown answers name the topic and the `## ` sections asked for, never the request
 * sentence, where the text a `contains` gate checks is usually asked for.
 */
afterAll(removeTempDirs);

const sopText = (format: string, gate: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: echo, version: 0.1.0 }
messages: { Topic: {}, Note: {} }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: |
          Write the pricing page of {{ message.content }}, quoting the budget code BX-7.
          ## Pricing tiers
        output: { type: Note, format: ${format} }
        artifacts: [{ path: note.txt }]
        gates:
          - { name: checked, contains: ${JSON.stringify(gate)}, on_fail: stop }
stop_when: { type: Note }
`;

async function offlineRun(format: string, gate: string): Promise<{ code: number | null; stdout: string; stderr: string; cwd: string }> {
  const cwd = tempDir('sop-offline-echo-');
  writeFileSync(path.join(cwd, 'echo.yaml'), sopText(format, gate));
  const result = await sop(['run', 'echo.yaml', 'the owl shop', '--workspace', 'out'], { cwd });
  expect(result.stderr).not.toMatch(STACK_LINE);
  return { ...result, cwd };
}

describe('a content gate on an offline answer', () => {
  it.each(['text', 'markdown'])('format %s: the words the request asks for are not echoed, so the gate stops the run (exit 7)', async (format) => {
    for (const gate of ['BX-7', 'the owl shop']) {
      const result = await offlineRun(format, gate);
      expect(result.code, `${gate}: ${result.stdout}`).toBe(7);
      expect(result.stdout + result.stderr).toContain(`gate "checked" failed: \`output.contains(${JSON.stringify(gate)})\` is false`);
    }
  });

  it('a `## ` heading the prompt asks for is written, as the offline contract says: that gate passes', async () => {
    const result = await offlineRun('markdown', '## Pricing tiers');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(readFileSync(path.join(result.cwd, 'out', 'note.txt'), 'utf8')).toContain('## Pricing tiers');
  });
});
