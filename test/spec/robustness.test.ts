import { describe, expect, test } from 'vitest';
import { validateSopText } from '../../src/spec/index.js';

const RICH_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: rich, version: 1.0.0, requires: ">=0.1" }
inputs:
  topic: { type: string, default: cats }
settings: { model: offline, n_round: 5 }
messages:
  Ask: { description: ask, schema: { type: object, properties: { items: { type: array } } } }
  Result: { description: result }
start:
  - type: Ask
    payload: { items: ["{{ inputs.topic }}"] }
roles:
  constructor:
    profile: Worker
    constraints: [be brief]
    watch: [Ask, Result]
    actions:
      - id: work
        when: { type: [Ask], if: "size(payload.items) > 0" }
        foreach: { items: "message.payload.items", concurrency: 2 }
        prompt: |
          Work on {{ item }} for {{ inputs.topic }}
        output: { type: Result, format: markdown }
        artifacts: [{ path: "out/{{ index }}.md", foreach: "[output]" }]
        gates:
          - { assert: "output != ''", on_fail: { route: Ask } }
          - { human: { enabled: "inputs.topic == 'x'" }, on_fail: warn }
      - id: check
        run: { command: [echo, "{{ run.id }}"], env: { A: "{{ inputs.topic }}" } }
        output: { type: Result, to: constructor }
stop_when: [{ type: Result, if: "content != ''" }]
`;

describe('bad input never crashes the validator', () => {
  const lines = RICH_SOP.split('\n');

  test('the base SOP is valid', async () => {
    const result = await validateSopText(RICH_SOP, '/tmp/rich.yaml');
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  });

  test('deleting any one line gives diagnostics or a valid SOP, never a throw', async () => {
    for (const [index] of lines.entries()) {
      const text = lines.filter((_, other) => other !== index).join('\n');
      const result = await validateSopText(text, '/tmp/rich.yaml');
      const hasErrors = result.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
      expect(hasErrors === (result.sop === undefined), `line ${index + 1}`).toBe(true);
      for (const diagnostic of result.diagnostics) expect(diagnostic.line, `line ${index + 1}: ${diagnostic.code}`).toBeGreaterThan(0);
    }
  });

  test('replacing any value by null, a number or a list gives diagnostics, never a throw', async () => {
    for (const [index, line] of lines.entries()) {
      const match = /^(\s*(?:- )?[\w$]+: )(.+)$/.exec(line);
      if (!match) continue;
      for (const replacement of ['null', '7', '[x]', '{}']) {
        const text = [...lines.slice(0, index), match[1] + replacement, ...lines.slice(index + 1)].join('\n');
        const result = await validateSopText(text, '/tmp/rich.yaml');
        const hasErrors = result.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
        expect(hasErrors === (result.sop === undefined), `line ${index + 1} → ${replacement}`).toBe(true);
        for (const diagnostic of result.diagnostics) expect(diagnostic.line, `line ${index + 1} → ${replacement}: ${diagnostic.code}`).toBeGreaterThan(0);
      }
    }
  });
});
