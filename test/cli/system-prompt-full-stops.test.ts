import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemPromptsFor } from '../../src/runtime/system-prompt.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';


/**
 * A system prompt says `Your reply becomes a TYPE message: DESCRIPTION.`, the full stop added (the
 * text is part of every call's request key: changing it would stop users' cassettes replaying).
 * The SOP `sop init` writes ended its descriptions with one too: every model it called read
 * `A short Markdown text about the idea..`. The sources now write them as phrases.
 */
afterAll(removeTempDirs);

/** A sentence ended twice: a character, then exactly `..` at a word's end (not `..` as a path, `1..4`, nor `...`). */
const DOUBLED_FULL_STOP = /[^\s.]\.\.(?=\s|$)/;

const BUILT_IN = readdirSync(path.join(repoRoot, 'sops')).filter((name) => name.endsWith('.yaml') && !name.endsWith('.test.yaml')).map((name) => path.join(repoRoot, 'sops', name));

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

  it('every action of each, the ones a default run does not reach included (incremental, bug fix, review)', async () => {
    const cwd = tempDir('sop-init-every-action-');
    expect((await sop(['init'], { cwd })).code).toBe(0);
    for (const file of [path.join(cwd, 'sop.yaml'), ...BUILT_IN]) {
      const { sop: resolved } = await loadResolvedSop(file);
      const prompts = systemPromptsFor(resolved);
      const doubled = resolved.roles.flatMap((role) => role.actions.map((action) => ({ call: `${role.id}/${action.id}`, content: prompts.forAction(role, action, resolved.messages[action.output.type], undefined) })))
        .filter((prompt) => DOUBLED_FULL_STOP.test(prompt.content));
      expect([file, doubled]).toEqual([file, []]);
    }
  });
});
