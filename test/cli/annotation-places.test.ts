import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * Under GitHub Actions every `::error` of a run points at the SOP line involved when there is one:
 * a run that stopped at its `n_round`, `max_tokens` or `stop_when`, a human gate awaited or
 * rejected, an input refused. They named the SOP file alone (no line, no column), so GitHub showed
 * them on no line of the pull request's diff. A failed precondition pointed at the action's prompt.
 */
const sopText = (settings: string, gate = '', inputs = ''): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: placed, version: 0.1.0 }
settings:
  ${settings}
${inputs}messages:
  Idea: {}
  Note: {}
  Final: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Final }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a note about {{ message.content }}"
        output: { type: Note, format: markdown }
${gate}  editor:
    profile: Editor
    watch: [Note]
    actions:
      - id: edit
        prompt: "Edit {{ message.content }}"
        output: { type: Final, format: markdown }
`;

async function run(text: string, args: string[]): Promise<CliResult & { cwd: string }> {
  const cwd = tempDir('sop-annotation-places-');
  writeFileSync(path.join(cwd, 'sop.yaml'), text);
  return { ...(await sop(['run', 'sop.yaml', ...args], { cwd, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: undefined, CI: undefined, HOME: cwd } })), cwd };
}

const errorsOf = (result: CliResult): string[] => result.stderr.split('\n').filter((line) => line.startsWith('::error'));

describe.concurrent('the ::error of a run that ended without an error of its own', () => {
  it('round_limit: at settings.n_round', async () => {
    const result = await run(sopText('n_round: 1'), ['owls']);
    expect(result.code, result.stderr).toBe(5);
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^::error file=sop\.yaml,line=5,col=12,title=sop run round_limit \(exit 5\)::/)]);
  });

  it('budget_exhausted by max_tokens: at settings.max_tokens', async () => {
    const result = await run(sopText('max_tokens: 50'), ['owls']);
    expect(result.code, result.stderr).toBe(6);
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^::error file=sop\.yaml,line=5,col=15,title=sop run budget_exhausted \(exit 6\)::/)]);
  });

  it('stalled: at stop_when', async () => {
    // The editor publishes Final into a run that stops on Never: no role has work left.
    const text = sopText('n_round: 9').replace('stop_when: { type: Final }', 'stop_when: { type: Never }').replace('  Final: {}\n', '  Final: {}\n  Never: {}\n');
    const result = await run(text, ['owls']);
    expect(result.code, result.stderr).toBe(4);
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^::error file=sop\.yaml,line=12,col=12,title=sop run stalled \(exit 4\)::/)]);
  });

  it('awaiting_approval: at the human gate awaited', async () => {
    const gate = '        gates:\n          - name: publish\n            human: { prompt: Publish it? }\n';
    const result = await run(sopText('n_round: 9', gate), ['owls']);
    expect(result.code, result.stderr).toBe(8);
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^::error file=sop\.yaml,line=21,col=13,title=sop run awaiting_approval \(exit 8\)::a human gate awaits approval/)]);
    // Rejected: the gate's failure and the stop are placed at it too (a human or judge gate has no assert or command to point at).
    const runId = /sop resume (\S+) --approve/.exec(result.stderr)?.[1] as string;
    const rejected = await sop(['resume', runId, '--reject', 'too long'], { cwd: result.cwd, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: undefined, CI: undefined, HOME: result.cwd } });
    expect(rejected.code, rejected.stderr).toBe(7);
    expect(errorsOf(rejected)).toEqual([
      expect.stringMatching(/^::error file=sop\.yaml,line=21,col=13,title=gate publish failed \(writer write%2C on_fail%3A stop\)::/),
      expect.stringMatching(/^::error file=sop\.yaml,line=21,col=13,title=sop resume gate_stopped \(exit 7\)::/),
    ]);
  });

  it('a failed precondition: at the precondition, not the prompt it kept from being sent', async () => {
    const text = sopText('n_round: 9').replace('      - id: edit\n', '      - id: edit\n        precondition: { assert: size(message.content) > 100000 }\n');
    const result = await run(text, ['owls']);
    expect(result.code, result.stderr).toBe(9);
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^::error file=sop\.yaml,line=25,col=33,title=sop run failed \(exit 9\)::PRECONDITION_FAILED: action edit: precondition `size\(message\.content\) > 100000` is false%0Ahint: /)]);
    // The place is the annotation's file and line, not said again in its text (it read `PRECONDITION_FAILED: sop.yaml:25:33: action edit: ...`).
  });

  it('a refused input: at its declaration; the idea, declared by no line, names the file', async () => {
    const inputs = 'inputs:\n  idea: { description: the idea }\n  count: { type: integer, description: how many }\n';
    const invalid = await run(sopText('n_round: 9', '', inputs), ['owls', '--input', 'count=many']);
    expect(invalid.code, invalid.stderr).toBe(2);
    expect(errorsOf(invalid)).toEqual([expect.stringMatching(/^::error file=sop\.yaml,line=8,col=10,title=sop run refused%3A INPUT_INVALID::input "count" must be an integer/)]);
    const missing = await run(sopText('n_round: 9'), []);
    expect(missing.code, missing.stderr).toBe(2);
    expect(errorsOf(missing)).toEqual([expect.stringMatching(/^::error file=sop\.yaml,title=sop run refused%3A INPUT_MISSING::input "idea"/)]);
  });
});
