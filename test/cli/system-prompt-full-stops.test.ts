import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemPromptsFor } from '../../src/runtime/system-prompt.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';


/**
 * A system prompt says `Your reply becomes a TYPE message: DESCRIPTION.`, the full stop added
 * only when the description does not already end with `.`, `!` or `?`: the example SOPs write
 * their descriptions as sentences (`The unittest file that pins the specification down.`), and
 * every model they called read `..`. The SOP `sop init` writes uses phrases. Changing the text
 * changed those calls' request keys: the cassettes shipped with the examples were re-keyed.
 */
afterAll(removeTempDirs);

/** A sentence ended twice: a character, then exactly `..` at a word's end (not `..` as a path, `1..4`, nor `...`). */
const DOUBLED_FULL_STOP = /[^\s.]\.\.(?=\s|$)/;

const BUILT_IN = readdirSync(path.join(repoRoot, 'sops')).filter((name) => name.endsWith('.yaml') && !name.endsWith('.test.yaml')).map((name) => path.join(repoRoot, 'sops', name));

/** Every SOP shipped under examples/ (`sop.yaml` in each example's folder, however deep). */
const EXAMPLES = readdirSync(path.join(repoRoot, 'examples'), { recursive: true, encoding: 'utf8' })
  .filter((name) => path.basename(name) === 'sop.yaml')
  .map((name) => path.join(repoRoot, 'examples', name))
  .sort();

interface PromptCall { role: string; action: string; messages: Array<{ role: string; content: string }> }

/** The system prompts `sop prompts` shows for a whole run of `file`, each with the call it heads. */
async function renderedSystemPrompts(file: string, cwd: string): Promise<Array<{ call: string; content: string }>> {
  const result = await sop(['prompts', file, 'a short text about tidal power', '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  const calls = (JSON.parse(result.stdout) as { result: { calls: PromptCall[] } }).result.calls;
  return calls.flatMap((call) => call.messages.filter((message) => message.role === 'system').map((message) => ({ call: `${call.role}/${call.action}`, content: message.content })));
}

describe('no system prompt of a scaffolded or built-in SOP ends a sentence twice', () => {
  it('the SOP sop init writes, as sop prompts renders a run of it', async () => {
    const cwd = tempDir('sop-init-full-stops-');
    const init = await sop(['init'], { cwd });
    expect(init.code, init.stderr).toBe(0);
    const prompts = await renderedSystemPrompts('sop.yaml', cwd);
    expect(prompts.map((prompt) => prompt.call)).toEqual(['writer/write_draft', 'reviewer/review_draft']);
    expect(prompts[0]?.content).toContain('Your reply becomes a Draft message: A short Markdown text about the idea.\n');
    expect(prompts.filter((prompt) => DOUBLED_FULL_STOP.test(prompt.content))).toEqual([]);
  });

  it.each(BUILT_IN)('%s, as sop prompts renders a run of it', async (file) => {
    const prompts = await renderedSystemPrompts(file, tempDir('sop-built-in-full-stops-'));
    expect(prompts.length).toBeGreaterThan(0);
    expect(prompts.filter((prompt) => DOUBLED_FULL_STOP.test(prompt.content))).toEqual([]);
  });

  it('every action of each and of every example, the ones a default run does not reach included (incremental, bug fix, review)', async () => {
    const cwd = tempDir('sop-init-every-action-');
    expect((await sop(['init'], { cwd })).code).toBe(0);
    for (const file of [path.join(cwd, 'sop.yaml'), ...BUILT_IN, ...EXAMPLES]) {
      const { sop: resolved } = await loadResolvedSop(file);
      const prompts = systemPromptsFor(resolved);
      const doubled = resolved.roles.flatMap((role) => role.actions.map((action) => ({ call: `${role.id}/${action.id}`, content: prompts.forAction(role, action, resolved.messages[action.output.type], undefined) })))
        .filter((prompt) => DOUBLED_FULL_STOP.test(prompt.content));
      expect([file, doubled]).toEqual([file, []]);
    }
  });
  it('the examples are all checked, those whose descriptions end with a full stop among them', () => {
    expect(EXAMPLES.map((file) => path.relative(repoRoot, file))).toEqual(expect.arrayContaining(['examples/tested-code/sop.yaml', 'examples/data-validation/sop.yaml', 'examples/data-check/sop.yaml', 'examples/mcp-tools/sop.yaml', 'examples/ci/release-notes/sop.yaml']));
  });

  it('a description written as a sentence (., ! or ?) is ended once, as sop prompts renders it; a phrase gets its full stop', async () => {
    const cwd = tempDir('sop-sentence-descriptions-');
    writeFileSync(path.join(cwd, 'sop.yaml'), [
      'apiVersion: sop/v1', 'kind: SOP', 'metadata: { name: ends, version: 1.0.0 }',
      'settings: { model: offline, n_round: 4 }',
      'messages:',
      '  Idea: { description: What the user asked for. }',
      '  Draft: { description: A draft written as a sentence. }',
      '  Question: { description: Is the draft good? }',
      '  Cheer: { description: Say it loud! }',
      '  Note: { description: A phrase without a mark }',
      'start: [{ type: Idea, content: "{{ inputs.idea }}" }]',
      'roles:',
      '  writer:', '    profile: Writer', '    watch: [Idea]', '    actions:',
      '      - { id: draft, prompt: "Write about {{ message.content }}", output: { type: Draft } }',
      '  asker:', '    profile: Asker', '    watch: [Draft]', '    actions:',
      '      - { id: ask, prompt: "Ask about {{ message.content }}", output: { type: Question } }',
      '  cheerer:', '    profile: Cheerer', '    watch: [Question]', '    actions:',
      '      - { id: cheer, prompt: "Cheer {{ message.content }}", output: { type: Cheer } }',
      '  noter:', '    profile: Noter', '    watch: [Cheer]', '    actions:',
      '      - { id: note, prompt: "Note {{ message.content }}", output: { type: Note } }',
      '',
    ].join('\n'));
    const prompts = await renderedSystemPrompts('sop.yaml', cwd);
    const contract = (call: string): string | undefined => /^Your reply becomes .*$/m.exec(prompts.find((prompt) => prompt.call === call)?.content ?? '')?.[0];
    expect(contract('writer/draft')).toBe('Your reply becomes a Draft message: A draft written as a sentence.');
    expect(contract('asker/ask')).toBe('Your reply becomes a Question message: Is the draft good?');
    expect(contract('cheerer/cheer')).toBe('Your reply becomes a Cheer message: Say it loud!');
    expect(contract('noter/note')).toBe('Your reply becomes a Note message: A phrase without a mark.');
  });
});
