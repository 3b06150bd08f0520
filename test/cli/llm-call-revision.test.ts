import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * `llm-call-start`/`llm-call-end` tell a gate's revision from a re-ask: `attempt` counts the asks of
 * one output (a re-ask after an invalid reply is 2), `revision` which output of the action run it is
 * (0 the first, 1 the one a failed gate asked for), as a user reads them in `--events` and
 * `--log-format json`.
 */
afterAll(removeTempDirs);

const SOP = [
  'apiVersion: sop/v1',
  'kind: SOP',
  'metadata: { name: revised, version: 0.1.0 }',
  'messages:',
  '  Idea: {}',
  '  Draft:',
  '    schema: { type: object, additionalProperties: false, required: [title], properties: { title: { type: string } } }',
  'start: [{ type: Idea, content: "{{ inputs.idea }}" }]',
  'stop_when: { type: Draft }',
  'roles:',
  '  writer:',
  '    profile: Writer',
  '    watch: [Idea]',
  '    actions:',
  '      - id: write',
  '        prompt: "Title a note about {{ message.content }}."',
  '        output: { type: Draft, format: json }',
  '        gates:',
  '          - name: review',
  '            judge: { rubric: The title names the subject, min_score: 7 }',
  '            on_fail: { revise: 1 }',
  '',
].join('\n');

/** The first answer is invalid (re-asked), the judge rejects the re-asked one, the revision passes. */
const SCRIPT = [
  'apiVersion: sop-script/v1',
  'strict: true',
  'answers:',
  '  - { role: writer, action: write, attempt: 1, output: { headline: "no title field" } }',
  '  - { role: writer, action: write, attempt: 1, reask: { title: "Notes" } }',
  '  - { role: writer, action: write, gate: review, attempt: 1, judge: { score: 3, reasons: ["name the subject"] } }',
  '  - { role: writer, action: write, attempt: 2, output: { title: "Tides" } }',
  '  - { role: writer, action: write, gate: review, attempt: 2, judge: { score: 9 } }',
  '',
].join('\n');

/** The calls as `[event, purpose, attempt, revision]`, in order. */
function calls(lines: Array<Record<string, unknown>>, typeField: 'type' | 'event'): unknown[][] {
  return lines
    .filter((line) => line[typeField] === 'llm-call-start' || line[typeField] === 'llm-call-end')
    .map((line) => [line[typeField], line['purpose'], line['attempt'], line['revision']]);
}

describe('llm-call events: attempt (re-asks) and revision (gate revisions)', () => {
  it('a gate that fails once: the revision\'s calls carry revision 1, the re-ask attempt 2 of revision 0 (--events and --log-format json)', async () => {
    const cwd = tempDir('sop-revision-');
    writeFileSync(path.join(cwd, 'revised.yaml'), SOP);
    writeFileSync(path.join(cwd, 'answers.yaml'), SCRIPT);
    const result = await sop(['run', 'revised.yaml', 'tides', '--model', 'script:answers.yaml', '--events', 'events.ndjson', '--log-format', 'json'], {
      cwd,
      env: { SOP_LOG_FORMAT: undefined, CI: 'true' },
    });
    expect(result.code, result.stderr).toBe(0);
    const expected = [
      ['llm-call-start', 'action', 1, 0],
      ['llm-call-end', 'action', 1, 0],
      ['llm-call-start', 'action', 2, 0],
      ['llm-call-end', 'action', 2, 0],
      ['llm-call-start', 'judge', 1, 0],
      ['llm-call-end', 'judge', 1, 0],
      ['llm-call-start', 'action', 1, 1],
      ['llm-call-end', 'action', 1, 1],
      ['llm-call-start', 'judge', 1, 1],
      ['llm-call-end', 'judge', 1, 1],
    ];
    const events = readFileSync(path.join(cwd, 'events.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(calls(events, 'type')).toEqual(expected);
    const logLines = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(calls(logLines, 'event')).toEqual(expected);
  });
});
