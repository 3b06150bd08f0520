import { describe, expect, it } from 'vitest';
import { runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt, actionHints } from './helpers/scripted-model.js';

describe('memory', () => {
  it('window: prompts see the last `size` messages, so prompt size stays bounded over rounds', async () => {
    const model = scriptedModel(() => 'ball');
    await runFixture('ping-pong.yaml', { model, nRound: 12 });
    const pinger = model.requests.filter((request) => actionHints(request)?.role === 'pinger').map(userPrompt);
    expect(pinger).toHaveLength(6);
    expect(pinger[0]).toBe('[m0002 Pong] \nping after m0002\n');
    expect(pinger[1]).toBe('[m0003 Ping] [m0004 Pong] \nping after m0004\n');
    expect(pinger[5]).toBe('[m0011 Ping] [m0012 Pong] \nping after m0012\n');
    const lengths = pinger.slice(1).map((prompt) => prompt.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(2);
  });

  it("chain: prompts see the trigger's causes, oldest first, at most `size`", async () => {
    const model = scriptedModel(() => 'ball');
    await runFixture('ping-pong.yaml', { model, nRound: 5 });
    const ponger = model.requests.filter((request) => actionHints(request)?.role === 'ponger').map(userPrompt);
    expect(ponger).toEqual(['\npong after m0001\n', '[m0001] [m0002] \npong after m0003\n', '[m0002] [m0003] [m0004] \npong after m0005\n']);
  });
});
