import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatResponse } from '../../src/providers/chat-model.js';
import { ProviderError } from '../../src/providers/provider-error.js';
import { budgetHint, runSop, type CallProgress, type ResolvedModel, type RunOptions } from '../../src/runtime/index.js';
import type { ResolvedModelRef } from '../../src/spec/resolved.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { readRunInfo } from '../../src/store/index.js';
import { readEvents, tempFolder } from './helpers/run-fixture.js';

/** Three roles: one names a model in settings, one per role, one per action (with parameters). */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: models, version: 1.0.0 }
settings: { n_round: 5, model: main-model }
messages:
  Idea: {}
  Draft: {}
  Review: {}
start:
  - type: Idea
    content: "{{ inputs.idea }}"
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write_draft
        prompt: "Write about {{ message.content }}"
        output: { type: Draft }
        artifacts: [{ path: draft.md }]
  editor:
    profile: Editor
    watch: [Draft]
    model: role-model
    actions:
      - id: edit_draft
        prompt: "Edit {{ message.content }}"
        output: { type: Review }
        model: { name: action-model, temperature: 0.3, max_tokens: 50 }
stop_when: { type: Review }
`;

interface FakeModelOptions {
  price?: { input: number; output: number };
  /** Called inside each call, like the provider layers (retries, deltas) would be. */
  during?: (request: ChatRequest) => void;
  reply?: (request: ChatRequest) => Partial<ChatResponse> & { text?: string };
  failWith?: Error;
}

/** A resolver as the registry would give: one fake provider model per name, recording requests. */
function fakeResolver(options: FakeModelOptions = {}) {
  const refs: Array<ResolvedModelRef | undefined> = [];
  const requests: ChatRequest[] = [];
  const resolve = (ref: ResolvedModelRef | undefined): ResolvedModel => {
    refs.push(ref);
    const name = ref?.name ?? 'default-model';
    return {
      model: {
        provider: 'fake',
        endpoint: 'fake http://127.0.0.1:9/v1',
        capabilities: { nativeJsonSchema: false, tools: false, streaming: true },
        async complete(request) {
          requests.push(request);
          options.during?.(request);
          if (options.failWith) throw options.failWith;
          const extra = options.reply?.(request) ?? {};
          return { text: `reply from ${request.model}`, model: request.model, usage: { promptTokens: 100, completionTokens: 50, estimated: false }, ...extra };
        },
      },
      modelName: name,
      provider: 'fake',
      key: `fake:${name}`,
      ...(ref?.temperature === undefined ? {} : { temperature: ref.temperature }),
      ...(ref?.maxTokens === undefined ? {} : { maxTokens: ref.maxTokens }),
      ...(options.price ? { price: options.price } : {}),
    };
  };
  return { resolve, refs, requests };
}

async function runModels(resolveModel: RunOptions['resolveModel'], options: Partial<RunOptions> = {}) {
  const cwd = tempFolder();
  writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
  const { sop } = await loadResolvedSop(path.join(cwd, 'sop.yaml'));
  const result = await runSop(sop, { inputs: { idea: 'tea' }, cwd, ...(resolveModel ? { resolveModel } : {}), ...options });
  const read = (name: string): any => JSON.parse(readFileSync(path.join(result.runDir, name), 'utf8'));
  return { result, events: readEvents(result.runDir), report: read('report.json'), runInfo: readRunInfo(result.runDir) as any };
}

describe('models per call', () => {
  it('each call gets the model of its action, else its role, else settings.model; the report and the run record name them', async () => {
    const fake = fakeResolver({ price: { input: 1, output: 2 } });
    const { result, events, report, runInfo } = await runModels(fake.resolve);
    expect(result.status).toBe('completed');
    expect(fake.requests.map((request) => [request.model, request.temperature, request.maxTokens])).toEqual([
      ['main-model', undefined, undefined],
      ['action-model', 0.3, 50],
    ]);
    // The role's model is named, but the action's own reference wins field by field.
    expect(fake.refs).toContainEqual({ name: 'action-model', provider: undefined, temperature: 0.3, maxTokens: 50 });
    expect(report).toMatchObject({ model: 'fake:main-model', models: { 'fake:main-model': 1, 'fake:action-model': 1 }, offline: false });
    expect(runInfo).toMatchObject({ model: 'fake:main-model', models: ['fake:main-model', 'fake:action-model'], provider: 'fake' });
    expect(events.find((event) => event.type === 'run-start')).toMatchObject({
      model: 'fake:main-model',
      models: [{ key: 'fake:main-model', endpoint: 'http://127.0.0.1:9/v1' }, { key: 'fake:action-model', endpoint: 'http://127.0.0.1:9/v1' }],
      offline: false,
    });
    expect(events.filter((event) => event.type === 'llm-call-end').map((event) => [event.model, event.costUsd])).toEqual([
      ['fake:main-model', 0.0002],
      ['fake:action-model', 0.0002],
    ]);
    // Cost per role, per action and in total (price USD per million tokens: 100 * 1 + 50 * 2 = 200 per million).
    expect(report.costUsd).toBe(0.0004);
    expect(report.usage.byRole.editor).toMatchObject({ calls: 1, costUsd: 0.0002, costUnknown: false });
    expect(report.usage.byAction.write_draft).toMatchObject({ calls: 1, costUsd: 0.0002 });
  });

  it('an unknown reference fails before anything is recorded; an unpriced model marks the cost unknown, not $0', async () => {
    const refusing = (): ResolvedModel => {
      throw new ProviderError('PROVIDER_AUTH', 'no key', { endpoint: 'x', retryable: false });
    };
    await expect(runModels(refusing)).rejects.toMatchObject({ code: 'PROVIDER_AUTH' });
    const { report } = await runModels(fakeResolver().resolve);
    expect(report).toMatchObject({ costUsd: 0, costUnknown: true, usage: { byAction: { write_draft: { costUnknown: true } } } });
  });

  it('answers from the cache cost nothing, are counted apart and do not use up max_tokens', async () => {
    const fake = fakeResolver({ price: { input: 1, output: 2 }, reply: () => ({ cached: 'cache', costUsd: 0 }) });
    const { report, events } = await runModels(fake.resolve);
    expect(report.usage.total).toMatchObject({ calls: 2, cachedCalls: 2, costUsd: 0, promptTokens: 200 });
    expect(events.filter((event) => event.type === 'llm-call-end').every((event) => event.cached === 'cache' && event.costUsd === 0)).toBe(true);
  });
});

describe('budget before each call', () => {
  it('refuses a call whose estimate does not fit in what is left (budget_exhausted, exit 6, hint) and never calls the model', async () => {
    // $1 per token: the first prompt alone (~20 tokens) plus the default reply allowance is far above $5.
    const fake = fakeResolver({ price: { input: 1_000_000, output: 1_000_000 } });
    const { result, report, events } = await runModels(fake.resolve, { investment: 5 });
    expect(result).toMatchObject({ status: 'budget_exhausted', exitCode: 6 });
    expect(fake.requests).toHaveLength(0);
    expect(report.budget).toMatchObject({ investment: 5, stopped: { reason: 'estimate', role: 'writer', action: 'write_draft' } });
    expect(report.budget.stopped.estimateUsd).toBeGreaterThan(1024);
    expect(report.hint).toContain(`sop resume ${report.runId} --investment`);
    // The hint says which call was refused and why: its estimate against what was left.
    expect(report.hint).toMatch(/^the next call \(writer write_draft\) was estimated at \$\d+\.\d\d with \$5\.00 left; resume with a larger budget/);
    expect(events.find((event) => event.type === 'action-end')).toMatchObject({ action: 'write_draft', outcome: 'budget-exhausted' });
  });

  it('an estimate and what is left that round to the same cents are written with the digits that tell them apart', () => {
    // $0.25 invested, $0.0136 spent: $0.2364 left, and the next call estimated at $0.2365.
    const hint = budgetHint('sop resume R', { reason: 'estimate', role: 'reviewer', action: 'review', estimateUsd: 0.2365 }, 0.25 - 0.0136);
    expect(hint).toMatch(/^the next call \(reviewer review\) was estimated at \$0\.2365 with \$0\.2364 left; /);
    expect(budgetHint('sop resume R', { reason: 'estimate', role: 'reviewer', estimateUsd: 3.5 }, 1)).toMatch(/estimated at \$3\.50 with \$1\.00 left; /);
  });

  it('lets calls through while their estimate fits, then stops once the spending reaches the investment', async () => {
    // At $1 per million tokens the first call's estimate (~30 prompt tokens + 1024) fits in $0.005,
    // but its reply is longer than estimated: 10 100 tokens, $0.0101. Nothing more is called.
    const fake = fakeResolver({ price: { input: 1, output: 1 }, reply: () => ({ usage: { promptTokens: 100, completionTokens: 10_000, estimated: false } }) });
    const { result, report } = await runModels(fake.resolve, { investment: 0.005 });
    expect(result).toMatchObject({ status: 'budget_exhausted', exitCode: 6 });
    expect(fake.requests).toHaveLength(1);
    expect(report.costUsd).toBe(0.0101);
    expect(report.budget.stopped).toEqual({ reason: 'spent' });
  });
});

describe('provider events, streaming and secrets', () => {
  it('retries reported by the provider layers become events of the call they happened in and are counted per action', async () => {
    const fake = fakeResolver({
      during: (request) => {
        if (request.model !== 'action-model') return;
        request.onEvent?.({ type: 'llm-call-retry', attempt: 1, code: 'PROVIDER_RATE_LIMITED', status: 429, delayMs: 10, endpoint: 'fake http://127.0.0.1:9/v1' });
        request.onEvent?.({ type: 'breaker-close', endpoint: 'fake http://127.0.0.1:9/v1' });
      },
    });
    const { report, events } = await runModels(fake.resolve);
    expect(events.filter((event) => event.type === 'llm-call-retry')).toEqual([
      expect.objectContaining({ round: 2, role: 'editor', action: 'edit_draft', attempt: 1, code: 'PROVIDER_RATE_LIMITED', status: 429, delayMs: 10 }),
    ]);
    expect(events.filter((event) => event.type.startsWith('breaker-'))).toEqual([expect.objectContaining({ type: 'breaker-close', role: 'editor', action: 'edit_draft' })]);
    expect(report.usage.byAction.edit_draft).toMatchObject({ retries: 1, reasks: 0 });
    expect(report.usage.byAction.write_draft).toMatchObject({ retries: 0 });
  });

  it('streamed text reaches onDelta (characters so far, per call) and is never logged', async () => {
    const progress: CallProgress[] = [];
    const fake = fakeResolver({ during: (request) => ['Hel', 'lo'].forEach((delta) => request.onDelta?.(delta)) });
    const { events } = await runModels(fake.resolve, { onDelta: (delta) => progress.push(delta) });
    expect(progress.slice(0, 2)).toEqual([
      { round: 1, role: 'writer', action: 'write_draft', chars: 3 },
      { round: 1, role: 'writer', action: 'write_draft', chars: 5 },
    ]);
    expect(JSON.stringify(events)).not.toContain('Hel');
  });

  it('secrets are masked in the journal (what the run is included), report.json and the error, whatever carries them', async () => {
    const secret = 'sk-test-SECRET-123456';
    const fake = fakeResolver({ failWith: new Error(`upstream said: bad key ${secret}`) });
    const { result, report, runInfo } = await runModels(fake.resolve, { secrets: [secret], inputs: { idea: `tea ${secret}` } });
    expect(result).toMatchObject({ status: 'failed', exitCode: 10 });
    expect(result.error?.message).toBe('role writer, action write_draft: model fake:main-model (fake) failed: upstream said: bad key ***');
    const files = ['journal.jsonl', 'report.json'].map((name) => readFileSync(path.join(result.runDir, name), 'utf8'));
    for (const text of files) expect(text).not.toContain(secret);
    expect(report.error.message).toContain('***');
    expect(runInfo.inputs.idea).toBe('tea ***');
  });

  it('with eventPrompts, call-start events carry the rendered messages, secrets masked; without, none', async () => {
    const secret = 'sk-test-SECRET-654321';
    const shown = await runModels(fakeResolver({}).resolve, { secrets: [secret], inputs: { idea: `tea ${secret}` }, eventPrompts: true });
    const starts = shown.events.filter((event) => event.type === 'llm-call-start');
    expect(starts.map((event) => [event.action, event.messages?.at(-1)])).toEqual([
      ['write_draft', { role: 'user', content: 'Write about tea ***' }],
      ['edit_draft', { role: 'user', content: expect.stringMatching(/^Edit /) }],
    ]);
    expect(starts[0]?.messages?.[0]).toMatchObject({ role: 'system' });
    expect(readFileSync(path.join(shown.result.runDir, 'journal.jsonl'), 'utf8')).not.toContain(secret);

    const hidden = await runModels(fakeResolver({}).resolve);
    expect(hidden.events.filter((event) => event.type === 'llm-call-start').every((event) => !('messages' in event))).toBe(true);
  });
});
