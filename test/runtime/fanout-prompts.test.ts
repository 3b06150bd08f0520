import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSop } from '../../src/runtime/index.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { tempFolder } from './helpers/run-fixture.js';
import { fanoutSop } from './helpers/fanout-sop.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

async function loadSop(prompts: string[]) {
  const folder = tempFolder();
  const file = path.join(folder, 'fanout.yaml');
  writeFileSync(file, fanoutSop(prompts));
  return (await loadResolvedSop(file)).sop;
}

/** Runs the SOP once; the model answers each call with what it was asked for, so prompts show in the messages. */
async function run(sop: Awaited<ReturnType<typeof loadSop>>, idea: string) {
  const model = scriptedModel((request) => `re: ${userPrompt(request)}`);
  const cwd = tempFolder();
  const result = await runSop(sop, { inputs: { idea }, cwd, model });
  const prompts = new Map(model.requests.map((request) => [String(request.label), userPrompt(request)]));
  return { result, prompts };
}

describe('a fan-out whose reviewers share a prompt text', () => {
  it('gives every reviewer the prompt rendered from its own view: shared roots alike, its role and its run apart', async () => {
    const sop = await loadSop(['Review: {{ message.content }}', 'Review: {{ message.content }}', '{{ role.id }} reviews {{ message.content }} in round {{ run.round }}', 'Review: {{ message.content }} for {{ inputs.idea }}', '{{ role.id }} reviews {{ message.content }} in round {{ run.round }}']);
    const first = await run(sop, 'a todo app');
    expect(first.result.status).toBe('completed');
    expect(first.prompts.get('role "reviewer_1", action "review_1"')).toBe('Review: re: Draft: a todo app');
    expect(first.prompts.get('role "reviewer_2", action "review_2"')).toBe('Review: re: Draft: a todo app');
    expect(first.prompts.get('role "reviewer_3", action "review_3"')).toBe('reviewer_3 reviews re: Draft: a todo app in round 2');
    expect(first.prompts.get('role "reviewer_4", action "review_4"')).toBe('Review: re: Draft: a todo app for a todo app');
    expect(first.prompts.get('role "reviewer_5", action "review_5"')).toBe('reviewer_5 reviews re: Draft: a todo app in round 2');
    // The same loaded SOP run again with another input: nothing rendered for the first run is reused.
    const second = await run(sop, 'a chess clock');
    expect(second.prompts.get('role "reviewer_1", action "review_1"')).toBe('Review: re: Draft: a chess clock');
    expect(second.prompts.get('role "reviewer_4", action "review_4"')).toBe('Review: re: Draft: a chess clock for a chess clock');
    expect(second.prompts.get('role "aggregator", action "aggregate"')).toBe('Summarize 5 reviews');
  });

  it('publishes each reviewer\'s review once, in role order, whoever answers first', async () => {
    const sop = await loadSop(['Review A: {{ message.content }}', 'Review B: {{ message.content }}', 'Review C: {{ message.content }}']);
    // Later reviewers answer sooner: the round still publishes in declaration order.
    const delays: Record<string, number> = { reviewer_1: 30, reviewer_2: 15, reviewer_3: 0 };
    const model = scriptedModel((request) => `re: ${userPrompt(request)}`);
    const slow = { ...model, complete: async (request: Parameters<typeof model.complete>[0]) => {
      const role = /role "([^"]+)"/.exec(String(request.label))?.[1] ?? '';
      await new Promise((resolve) => setTimeout(resolve, delays[role] ?? 0));
      return model.complete(request);
    } };
    const result = await runSop(sop, { inputs: { idea: 'x' }, cwd: tempFolder(), model: slow });
    expect(result.status).toBe('completed');
    const reviews = model.requests.filter((request) => String(request.label).includes('aggregate')).length;
    expect(reviews).toBe(1);
    const { readRunEvents } = await import('../../src/store/index.js');
    const published = readRunEvents(result.runDir).filter((event) => event.type === 'message-published').map((event) => (event['message'] as { from: string; content: string }));
    expect(published.filter((message) => message.from.startsWith('reviewer_')).map((message) => message.content)).toEqual([
      're: Review A: re: Draft: x',
      're: Review B: re: Draft: x',
      're: Review C: re: Draft: x',
    ]);
  });
});
