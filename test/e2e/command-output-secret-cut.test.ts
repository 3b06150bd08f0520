import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from '../cli/run-cli.js';

afterAll(removeTempDirs);

const KEY = 'sk-live-ABCDEFGH12345678abcdefghij';
/** What stays of the key where a cut went through it: its last 15 characters. */
const FRAGMENT = KEY.slice(-15);

/**
 * Commands printing a secret input where sop cuts their output: 2000 characters from the end (a
 * gate's feedback, a step's content) and 8 KiB from the end (the step's payload).
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: cut, version: 1.0.0 }
inputs:
  api_key: { type: string, description: a key }
messages:
  Idea: { description: the idea }
  Done: { description: done }
start: [{ type: Idea, content: go }]
roles:
  writer:
    profile: Writer
    goal: Write
    watch: [Idea]
    actions:
      - id: write
        prompt: "{{ message.content }}"
        output: { type: Done, format: text }
        gates:
          - name: prints-key
            command:
              command: [node, -e, "process.stdout.write(process.argv[1] + 'x'.repeat(1985)); process.exit(1)", "{{ inputs.api_key }}"]
            on_fail: warn
      - id: step
        when: { type: Idea }
        run:
          command: [node, -e, "process.stdout.write('a'.repeat(100) + process.argv[1] + 'y'.repeat(8192 - 15))", "{{ inputs.api_key }}"]
        output: { type: Done }
stop_when: { type: Done }
`;

describe('a secret in a command output that sop cuts', () => {
  it('is masked whole, not cut into a part the mask no longer finds', async () => {
    const cwd = tempDir('sop-cut-secret-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const result = await sop(['run', 'sop.yaml', '--input', `api_key=${KEY}`, '--events', 'events.jsonl'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const runs = path.join(cwd, '.sop', 'runs');
    const [run] = readdirSync(runs);
    const records = ['journal.jsonl', 'report.json', 'report.html'].map((file) => readFileSync(path.join(runs, run!, file), 'utf8'));
    for (const text of [result.stderr, result.stdout, readFileSync(path.join(cwd, 'events.jsonl'), 'utf8'), ...records]) {
      expect(text).not.toContain(FRAGMENT);
    }
    // The gate's feedback and the step's payload still hold their whole share, the key masked.
    expect(result.stderr).toContain('gate "prints-key" failed');
    expect(records[0]).toMatch(/"stdout":"a+\*\*\*y{100}/);
  });
});

/** A reply awaiting a human gate, holding the key where the excerpt of its first 2000 characters ends. */
const APPROVAL_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: excerpt, version: 1.0.0 }
inputs:
  api_key: { type: string, description: a key }
messages:
  Idea: { description: the idea }
  Done: { description: done }
start: [{ type: Idea, content: go }]
roles:
  writer:
    profile: Writer
    goal: Write
    watch: [Idea]
    actions:
      - id: write
        prompt: "Use {{ inputs.api_key }}"
        output: { type: Done, format: text }
        gates:
          - { name: approved, human: { prompt: Check it } }
stop_when: { type: Done }
`;

describe('a secret in an output awaiting approval', () => {
  it('is masked whole in the excerpt the run records, not cut to its first characters', async () => {
    const cwd = tempDir('sop-cut-secret-');
    writeFileSync(path.join(cwd, 'sop.yaml'), APPROVAL_SOP);
    writeFileSync(path.join(cwd, 'script.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: writer, action: write, output: "${'a'.repeat(1990)}${KEY} done" }\n`);
    const result = await sop(['run', 'sop.yaml', '--input', `api_key=${KEY}`, '--model', 'script:script.yaml', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(8);
    const runs = path.join(cwd, '.sop', 'runs');
    const [run] = readdirSync(runs);
    const records = ['journal.jsonl', 'report.json', 'report.html'].map((file) => readFileSync(path.join(runs, run!, file), 'utf8'));
    for (const text of [result.stderr, result.stdout, ...records]) expect(text).not.toContain(KEY.slice(0, 10));
    expect(JSON.parse(result.stdout).result.awaiting[0].excerpt).toMatch(/^a{1990}\*\*\*/);
  });
});
