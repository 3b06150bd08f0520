import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * A command that prints colours (a test runner's red FAIL), an OSC 8 link, a bell and a NUL: what a
 * gate feeds back to the model, the command's message, and the JUnit and HTML reports carry the
 * text without its escape sequences; the other control characters show as U+FFFD.
 */

afterAll(removeTempDirs);

// Written by the command: ESC [ 31 m ... ESC [ 0 m, ESC ] 8 ;; URL ESC \ ... (ST), BEL, NUL.
const PRINT = String.raw`process.stdout.write('\u001b[31mFAIL\u001b[0m add.test.js \u001b]8;;https://example.com/add\u001b\\add\u001b]8;;\u001b\\ \u0007bell \u0000nul\n')`;
/** What every place shows of it. */
const SHOWN = 'FAIL add.test.js add \uFFFDbell \uFFFDnul';
const RAW_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function sopFile(kind: 'gate' | 'action'): string {
  // The gate's command fails (a test run that failed), the action's passes.
  const code = `${PRINT}; process.exitCode = ${kind === 'gate' ? 1 : 0}`;
  const command = `{ command: [node, -e, ${JSON.stringify(code)}], timeout: 20 }`;
  const actions =
    kind === 'gate'
      ? `      - id: write_code
        prompt: "Write the script.{% if feedback != '' %} Fix: {{ feedback }}{% endif %}"
        output: { type: Code, format: code }
        artifacts: [{ path: main.js }]
        gates:
          - name: tests
            command: ${command}
            on_fail: { revise: 1 }`
      : `      - id: write_code
        run: ${command}
        output: { type: Code }`;
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: colours, version: 1.0.0 }
messages:
  Idea: {}
  Code: {}
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
roles:
  engineer:
    profile: Engineer
    watch: [Idea]
    actions:
${actions}
stop_when: { type: Code }
`;
}

const SCRIPT = `apiVersion: sop-script/v1
answers:
  - { role: engineer, action: write_code, output: "console.log(1)" }
  - { role: engineer, action: write_code, output: "console.log(2)" }
`;

function journal(cwd: string): Array<Record<string, any>> {
  const runs = path.join(cwd, '.sop', 'runs');
  const [run] = readdirSync(runs);
  return readFileSync(path.join(runs, run as string, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, any>);
}

/** The JSON report.html embeds. */
function reportData(cwd: string): Record<string, any> {
  const runs = path.join(cwd, '.sop', 'runs');
  const [run] = readdirSync(runs);
  const html = readFileSync(path.join(runs, run as string, 'report.html'), 'utf8');
  return JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] as string) as Record<string, any>;
}

/** Every string in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe("a command's colour codes", () => {
  it('a failing gate: the model, the JUnit report and report.html get its output without escape sequences', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), sopFile('gate'));
    writeFileSync(path.join(cwd, 'script.yaml'), SCRIPT);
    const result = await sop(['run', 'sop.yaml', 'go', '--model', 'script:script.yaml', '--event-prompts', '--ci', '--junit', 'junit.xml'], { cwd });
    expect(result.code, result.stderr).toBe(7);

    // What the model is asked on its revision.
    const revision = journal(cwd).filter((line) => line['type'] === 'llm-call-start')[1];
    const prompt = String(revision?.['messages']?.[1]?.content);
    expect(prompt).toContain(`exited with code 1\n${SHOWN}`);
    expect(prompt).not.toMatch(RAW_CONTROL);

    const junit = readFileSync(path.join(cwd, 'junit.xml'), 'utf8');
    expect(junit).toContain(SHOWN);
    expect(junit).not.toContain('\uFFFD[31m');
    expect(junit).not.toMatch(RAW_CONTROL);

    const data = reportData(cwd);
    expect(data['gates'].map((gate: { feedback?: string }) => gate.feedback)).toEqual([expect.stringContaining(SHOWN), expect.stringContaining(SHOWN)]);
    expect(strings(data).filter((text) => RAW_CONTROL.test(text))).toEqual([]);
  });

  it("a command action: its message's content and payload, in the journal and report.html", async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), sopFile('action'));
    const result = await sop(['run', 'sop.yaml', 'go', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(0);

    const message = journal(cwd).find((line) => line['type'] === 'message-published' && line['message']?.['type'] === 'Code')?.['message'] as Record<string, any> | undefined;
    expect(message?.['payload']?.['stdout']).toBe(`${SHOWN}\n`);
    expect(message?.['content']).toContain(`--- stdout ---\n${SHOWN}`);

    const shown = reportData(cwd)['messages'].find((view: { type: string }) => view.type === 'Code');
    expect(shown.content).toContain(SHOWN);
    expect(shown.payload.stdout).toBe(`${SHOWN}\n`);
  });
});
