import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A newcomer's first run of their own SOP, on the offline model: the prompt asks in words for a
 * Sources section, the gate looks for it, and the run stops at the gate (exit 7) with a hint to
 * change the prompt or let it revise, which cannot help placeholder text. The hint now says who
 * answered and the way to see the gate pass; a run a script answered is not told so.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: editorial, version: 0.1.0 }
messages:
  Topic: { description: what to write about }
  Article: { description: the article }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Topic]
    actions:
      - id: write
        prompt: 'Write about {{ message.content }}, ending with a Sources section.'
        output: { type: Article, format: markdown }
        gates:
          - { name: has-sources, contains: "## Sources", on_fail: { revise: 1 } }
stop_when: { type: Article }
`;

const OFFLINE = "(the offline model answered: its placeholder text follows a prompt's `## ` headings, not its words, see the README; a scripted answer, `--model script:FILE`, shows the gate pass)";

describe('a gate stop on the offline model', () => {
  it('the hint says the offline model answered and how to see the gate pass; a scripted run is not told so', async () => {
    const cwd = tempDir('sop-offline-gate-');
    writeFileSync(path.join(cwd, 'editorial.yaml'), SOP);
    const offline = await sop(['run', 'editorial.yaml', 'tides'], { cwd });
    expect(offline.code, offline.stderr).toBe(7);
    expect(offline.stderr).not.toMatch(STACK_LINE);
    expect(offline.stderr).toMatch(/^hint: a gate stopped the run .*--allow-changed-sop` \(the offline model answered: .*\)$/m);
    expect(offline.stderr).toContain(OFFLINE);

    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nstrict: true\nanswers:\n  - { role: writer, action: write, output: "# Tides" }\n');
    const scripted = await sop(['run', 'editorial.yaml', 'tides', '--model', 'script:answers.yaml', '--workspace', 'ws2'], { cwd });
    expect(scripted.code, scripted.stderr).toBe(7);
    expect(scripted.stderr).toContain('hint: a gate stopped the run');
    expect(scripted.stderr).not.toContain('the offline model answered');

    // Followed: the script answers what the gate needs, and the run completes.
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: writer, action: write, output: "# Tides\\n\\n## Sources\\n\\n- a tide table\\n" }\n');
    const passed = await sop(['run', 'editorial.yaml', 'tides', '--model', 'script:answers.yaml', '--workspace', 'ws3'], { cwd });
    expect(passed.code, passed.stderr).toBe(0);
  });

  it('a person\'s rejection that stops the run is not blamed on the offline model\'s placeholder text', async () => {
    const cwd = tempDir('sop-offline-gate-');
    writeFileSync(path.join(cwd, 'editorial.yaml'), SOP.replace('{ name: has-sources, contains: "## Sources", on_fail: { revise: 1 } }', '{ name: editor-approval, human: { prompt: Publish it? }, on_fail: stop }'));
    const paused = await sop(['run', 'editorial.yaml', 'tides', '--json'], { cwd });
    expect(paused.code, paused.stderr).toBe(8);
    const runId = (JSON.parse(paused.stdout) as { result: { runId: string } }).result.runId;
    const rejected = await sop(['resume', runId, '--reject', 'not our tone'], { cwd });
    expect(rejected.code, rejected.stderr).toBe(7);
    expect(rejected.stderr).toContain('hint: a gate stopped the run');
    expect(rejected.stderr).not.toContain('the offline model answered');
  });
});
