import { createHash } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, VALID_SOP } from './helpers.js';

afterAll(cleanTempDirs);

describe('resolution to ResolvedSop', () => {
  test('defaults are applied to a minimal SOP', async () => {
    const result = await validateText(VALID_SOP);
    expect(result.diagnostics).toEqual([]);
    const sop = result.sop!;
    expect(sop).toMatchObject({
      file: result.path,
      displayPath: result.path,
      dir: result.dir,
      sha256: createHash('sha256').update(VALID_SOP).digest('hex'),
      referencedFiles: {},
      name: 'demo',
      version: '1.0.0',
      description: '',
      requires: undefined,
      inputs: [{ name: 'idea', type: 'string', required: true }],
      settings: { nRound: 20, investment: undefined, maxTokens: undefined, maxConcurrency: 4, templates: 'liquid', model: undefined, maxOutputAttempts: 3 },
      stopWhen: [{ type: 'Summary', if: undefined }],
    });
    expect(sop.messages.Summary).toMatchObject({ name: 'Summary', description: 'a summary', schema: undefined });
    const role = sop.roles[0]!;
    expect(role).toMatchObject({
      id: 'writer', profile: 'Writer', goal: '', constraints: [], watch: ['UserRequirement'],
      react: { mode: 'by_order', maxReactLoop: 5, maxReplans: 2 }, memory: { policy: 'window', size: 10 }, model: undefined,
      pointer: '/roles/writer',
    });
    expect(role.actions[0]).toMatchObject({
      id: 'summarize', roleId: 'writer', description: '', whenTypes: ['UserRequirement'], whenIf: undefined, batch: false,
      foreach: undefined, run: undefined, reads: [], artifacts: [], gates: [], tools: [], model: undefined, maxRuns: undefined,
      output: { type: 'Summary', format: 'text', language: undefined, to: undefined, maxAttempts: 3 },
      pointer: '/roles/writer/actions/0',
    });
    expect(role.actions[0]!.prompt).toEqual({
      text: 'Summarize {{ message.content }}',
      origin: { file: result.path, ...positionOf(VALID_SOP, 'Summarize'), pointer: '/roles/writer/actions/0/prompt', lineOffset: 0 },
    });
    expect(sop.start).toEqual([{
      type: 'UserRequirement', to: undefined, payload: undefined, payloadTemplates: [],
      content: { text: '{{ inputs.idea }}', origin: { file: result.path, ...positionOf(VALID_SOP, '{{ inputs.idea }}'), pointer: '/start/0/content', lineOffset: 0 } },
    }]);
    expect(sop.document.metadata.name).toBe('demo');
  });

  test('shorthands are expanded and every default of nested blocks applied', async () => {
    const text = `apiVersion: sop/v1
kind: SOP
metadata: { name: full, version: 2.0.0, description: everything, requires: ">=0.1" }
inputs:
  topic: { type: string, default: cats }
  count: { type: integer }
settings: { model: gpt-4o, templates: handlebars, n_round: 3 }
messages:
  Ask: { description: ask }
  Result: { description: result }
start:
  - type: Ask
    payload: { topic: "{{ inputs.topic }}", list: [1, "{{ run.id }}"] }
roles:
  worker:
    profile: Worker
    constraints: be brief
    watch: [Ask]
    model: { name: strong, temperature: 0.2, max_tokens: 100 }
    react: { mode: react }
    memory: { policy: chain }
    actions:
      - id: work
        when: { type: Ask, if: "payload.topic != ''", batch: true }
        foreach: { items: "message.payload.list" }
        prompt: |
          Work on {{ item }}
        output: { type: Result, format: json, max_attempts: 5 }
        artifacts: [{ path: "out/{{ index }}.txt" }]
        gates:
          - assert: "output != ''"
          - { name: tests, command: { command: [npm, test], env: { CI: "1" } }, on_fail: { revise: 2 } }
      - id: check
        run: { command: [echo, "{{ run.id }}"], cwd: sub }
        output: { type: Result, to: worker }
stop_when: [{ type: Result, if: "content != ''" }]
`;
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    const sop = result.sop!;
    expect(sop.inputs).toEqual([
      { name: 'topic', type: 'string', default: 'cats', required: false, aliases: [] },
      { name: 'count', type: 'integer', required: true, aliases: [] },
    ]);
    expect(sop.settings).toMatchObject({ nRound: 3, templates: 'handlebars', model: { name: 'gpt-4o', provider: undefined, temperature: undefined, maxTokens: undefined } });
    expect(sop.start[0]!.payloadTemplates.map((entry) => [entry.path, entry.template.text, entry.template.origin.pointer])).toEqual([
      [['topic'], '{{ inputs.topic }}', '/start/0/payload/topic'],
      [['list', 1], '{{ run.id }}', '/start/0/payload/list/1'],
    ]);
    const role = sop.roles[0]!;
    expect(role).toMatchObject({
      constraints: ['be brief'], react: { mode: 'react', maxReactLoop: 5, maxReplans: 2 }, memory: { policy: 'chain', size: 10 },
      model: { name: 'strong', provider: undefined, temperature: 0.2, maxTokens: 100 },
    });
    const [work, check] = role.actions;
    expect(work).toMatchObject({ whenTypes: ['Ask'], batch: true, output: { format: 'json', maxAttempts: 5 } });
    expect(work!.whenIf?.source).toBe("payload.topic != ''");
    expect(work!.foreach).toMatchObject({ items: { source: 'message.payload.list' }, concurrency: 1 });
    expect(work!.prompt).toMatchObject({ text: 'Work on {{ item }}\n', origin: { line: positionOf(text, 'prompt: |').line, column: 11, lineOffset: 1 } });
    expect(work!.artifacts[0]!.content.text).toBe('{{ output }}');
    expect(work!.gates.map((gate) => [gate.name, gate.kind, gate.onFail])).toEqual([
      ['work#0', 'assert', 'stop'],
      ['tests', 'command', { revise: 2 }],
    ]);
    expect(work!.gates[1]!.command).toMatchObject({ timeoutSeconds: 120, cwd: undefined, env: { CI: { text: '1' } } });
    expect(check!.run).toMatchObject({ cwd: 'sub', timeoutSeconds: 120, command: [{ text: 'echo' }, { text: '{{ run.id }}' }] });
    expect(check!.whenTypes).toEqual(['Ask']);
    expect(check!.output).toMatchObject({ to: 'worker', maxAttempts: 3 });
    expect(sop.stopWhen).toMatchObject([{ type: 'Result', if: { source: "content != ''", origin: { pointer: '/stop_when/0/if' } } }]);
  });
});
