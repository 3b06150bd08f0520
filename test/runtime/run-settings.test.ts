import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { readResumePoint, runSop } from '../../src/runtime/index.js';
import { resolveRunSettings } from '../../src/runtime/run-settings.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { FIXTURES, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

const echo = (): ReturnType<typeof scriptedModel> => scriptedModel((request) => userPrompt(request).trim());

describe('run settings', () => {
  it('a given value wins over the recorded one, which wins over the SOP', async () => {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'ping-pong.yaml'));
    const recorded = { nRound: 7, investment: 2, model: { provider: 'openai' }, durability: 'machine' as const, revisionPrompt: 'output-and-feedback' as const };
    expect(resolveRunSettings(sop, {}, undefined, {})).toEqual({ nRound: sop.settings.nRound, investment: sop.settings.investment ?? null, model: {}, durability: 'process', revisionPrompt: 'output-and-feedback' });
    expect(resolveRunSettings(sop, {}, recorded, {})).toEqual(recorded);
    expect(resolveRunSettings(sop, { nRound: 9, investment: 0.5, modelOptions: { model: 'x' }, durability: 'process' }, recorded, {})).toEqual({ nRound: 9, investment: 0.5, model: { model: 'x' }, durability: 'process', revisionPrompt: 'output-and-feedback' });
    // A run recorded by an older version asks its revisions as that version did.
    expect(resolveRunSettings(sop, {}, { nRound: 7, investment: null, model: {} }, {}).revisionPrompt).toBe('feedback');
  });

  it('`n_round: { input: NAME }` takes the input\'s value; a given --n-round and a recorded value still win', async () => {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'ping-pong.yaml'));
    const bounded = { ...sop, settings: { ...sop.settings, nRound: { input: 'turns' } } };
    expect(resolveRunSettings(bounded, {}, undefined, { turns: 4 }).nRound).toBe(4);
    expect(resolveRunSettings(bounded, { nRound: 9 }, undefined, { turns: 4 }).nRound).toBe(9);
    expect(resolveRunSettings(bounded, {}, { nRound: 6 }, { turns: 4 }).nRound).toBe(6);
  });

  it('a bad value is a usage error naming the option as the caller wrote it', async () => {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'ping-pong.yaml'));
    for (const [given, flag] of [[{ nRound: 0 }, 'nRound'], [{ nRound: 1.5 }, 'nRound'], [{ nRound: 1_000_001 }, 'nRound'], [{ investment: -1 }, 'investment'], [{ investment: Number.NaN }, 'investment']] as const) {
      let caught: unknown;
      try {
        resolveRunSettings(sop, given, undefined, {});
      } catch (error) {
        caught = error;
      }
      expect(isSopError(caught) && caught.code === 'USAGE' && caught.message.startsWith(flag)).toBe(true);
    }
  });

  // One check for both (`checkRoundLimit`), each refusal in the words its caller used: a library
  // program never typed `--n-round` or `--investment`, and would look for a command line that has them.
  it('a library caller\'s nRound past the bound, or a negative investment, is refused naming the option, with the flag it matches', async () => {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'ping-pong.yaml'));
    await expect(runSop(sop, { inputs: { idea: 'ping' }, model: echo(), nRound: 1_000_001 })).rejects.toMatchObject({
      code: 'USAGE',
      exitCode: 2,
      message: 'nRound must be a whole number from 1 to 1000000, got 1000001',
      hint: 'give the most rounds the run may take, e.g. `nRound: 50` (`sop run --n-round`) (settings.n_round has the same bound; a run ends at its stop condition before its limit)',
    });
    await expect(runSop(sop, { inputs: { idea: 'ping' }, model: echo(), investment: -1 })).rejects.toMatchObject({
      code: 'USAGE',
      exitCode: 2,
      message: 'investment must be a number of USD of at least 0, got -1',
      hint: "give the most the run may spend, e.g. `investment: 2.5` (`sop run --investment`), or leave it out for the SOP's settings.investment",
    });
  });

  it('are recorded with the run and read back by a resume; a resume that changes one records the change', async () => {
    const first = await runFixture('ping-pong.yaml', { model: echo(), nRound: 1, durability: 'machine', modelOptions: { cache: true } });
    const runDir = first.result.runDir;
    expect(readResumePoint(runDir).checkpoint.options).toEqual({ nRound: 1, investment: null, model: { cache: true }, durability: 'machine', revisionPrompt: 'output-and-feedback' });

    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'ping-pong.yaml'));
    const resume = async (options: { nRound?: number }) => runSop(sop, { inputs: {}, model: echo(), resume: { runDir, ...readResumePoint(runDir) }, ...options });
    const second = await resume({ nRound: 2 });
    expect(second.status).toBe('round_limit');
    // Durability and the model choice carry over; the new round limit is the run's now.
    expect(readResumePoint(runDir).checkpoint.options).toEqual({ nRound: 2, investment: null, model: { cache: true }, durability: 'machine', revisionPrompt: 'output-and-feedback' });
    const third = await resume({});
    expect(third.report.rounds).toBe(2);
    expect(third.status).toBe('round_limit');
  });
});
