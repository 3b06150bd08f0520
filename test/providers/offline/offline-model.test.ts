import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '../../../src/providers/chat-model.js';
import type { OfflineHints } from '../../../src/providers/offline/hints.js';
import { OFFLINE_NOTICE, createOfflineModel } from '../../../src/providers/offline/index.js';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, logger: false });
addFormats(ajv);

const model = createOfflineModel();
const IDEA = 'Build a simple todo CLI in Python';

const PRD_SCHEMA = {
  type: 'object',
  required: ['project_name', 'language', 'product_goals', 'user_stories', 'competitive_quadrant_chart', 'requirement_pool'],
  properties: {
    project_name: { type: 'string', pattern: '^[a-z_]+$' },
    language: { enum: ['python', 'javascript', 'go'] },
    product_goals: { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 5, uniqueItems: true },
    user_stories: { type: 'array', items: { type: 'string', minLength: 10 }, minItems: 3 },
    competitive_quadrant_chart: { type: 'string', description: 'A Mermaid quadrantChart of the competitors' },
    requirement_pool: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['requirement', 'priority'], properties: { requirement: { type: 'string' }, priority: { enum: ['P0', 'P1', 'P2'] } } },
    },
    anything_unclear: { type: ['string', 'null'] },
  },
  additionalProperties: false,
};

function actionHints(format: 'text' | 'markdown' | 'json' | 'code', extra: Partial<OfflineHints> = {}): OfflineHints {
  return { kind: 'action', role: 'product_manager', action: 'write_prd', format, outputType: 'PRD', language: undefined, artifactPaths: [], attempt: 1, ...extra } as OfflineHints;
}

function request(hints: OfflineHints, prompt: string, schema?: Record<string, unknown>, followUps: ChatMessage[] = []): ChatRequest {
  return {
    model: 'offline',
    messages: [{ role: 'system', content: 'You are a Product Manager.' }, { role: 'user', content: prompt }, ...followUps],
    providerOptions: { offline: hints },
    ...(schema ? { responseSchema: { name: 'PRD', schema } } : {}),
  };
}

const CHOICE_SCHEMA = (options: string[]) => ({
  type: 'object',
  required: ['action'],
  properties: { action: { enum: options }, reason: { type: 'string' } },
});
const PLAN_SCHEMA = (options: string[]) => ({
  type: 'object',
  required: ['steps'],
  properties: { steps: { type: 'array', items: { type: 'object', required: ['action'], properties: { action: { enum: options }, reason: { type: 'string' } } } } },
});

describe('the offline model contract', () => {
  it('is the offline provider: JSON schema natively, tools (it calls each offered tool once), no streaming', () => {
    expect(model.provider).toBe('offline');
    expect(model.capabilities).toEqual({ nativeJsonSchema: true, tools: true, streaming: false });
  });

  it('answers a JSON action with a value valid against the schema, preferring the language the prompt names', async () => {
    const response = await model.complete(request(actionHints('json'), `Write a PRD.\n\nRequirement: ${IDEA}.`, PRD_SCHEMA));
    const value = JSON.parse(response.text) as Record<string, unknown>;
    const validate = ajv.compile(PRD_SCHEMA);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    expect(value.language).toBe('python');
    expect(value.project_name).toBe('todo_cli');
    expect(String(value.competitive_quadrant_chart).split('\n')[0]).toBe('quadrantChart');
  });

  it('estimates usage at about four characters per token', async () => {
    const prompt = 'x'.repeat(400);
    const response = await model.complete(request(actionHints('text'), prompt));
    const promptChars = 'You are a Product Manager.'.length + prompt.length;
    expect(response.usage).toEqual({ promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(response.text.length / 4), estimated: true });
    expect(response.model).toBe('offline');
  });

  it('is deterministic: the same request gives the same text, another prompt another text', async () => {
    const first = await model.complete(request(actionHints('json'), `Requirement: ${IDEA}`, PRD_SCHEMA));
    const second = await model.complete(request(actionHints('json'), `Requirement: ${IDEA}`, PRD_SCHEMA));
    const other = await model.complete(request(actionHints('json'), 'Requirement: Build a weather dashboard', PRD_SCHEMA));
    expect(second.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
    expect(JSON.parse(other.text)).toMatchObject({ project_name: 'weather_dashboard' });
    for (const format of ['markdown', 'text', 'code'] as const) {
      const one = await model.complete(request(actionHints(format), `Requirement: ${IDEA}\n## Goals\n## Risks`));
      const two = await model.complete(request(actionHints(format), `Requirement: ${IDEA}\n## Goals\n## Risks`));
      expect(two.text).toBe(one.text);
    }
  });

  it('still answers validly on a re-ask, reading the task from the original prompt', async () => {
    const followUps: ChatMessage[] = [
      { role: 'assistant', content: '{"oops": true}' },
      { role: 'user', content: 'That reply is not a valid PRD:\n- must have required property project_name\nReply again with the corrected output only.' },
    ];
    const response = await model.complete(request(actionHints('json', { attempt: 2 }), `Requirement: ${IDEA}`, PRD_SCHEMA, followUps));
    const value = JSON.parse(response.text) as Record<string, unknown>;
    expect(ajv.validate(PRD_SCHEMA, value)).toBe(true);
    expect(value.project_name).toBe('todo_cli');
  });

  it('answers a JSON action without a schema with a small summary object that says it is offline', async () => {
    const value = JSON.parse((await model.complete(request(actionHints('json'), `Requirement: ${IDEA}`))).text) as { summary: string };
    expect(Object.keys(value)).toEqual(['summary']);
    expect(value.summary).toContain(OFFLINE_NOTICE);
  });

  it('answers a request without hints (a library caller) from the request alone: JSON to a schema, else text', async () => {
    const { providerOptions: _hints, ...bare } = request(actionHints('json'), `Requirement: ${IDEA}`, PRD_SCHEMA);
    const value = JSON.parse((await model.complete(bare)).text) as Record<string, unknown>;
    expect(ajv.validate(PRD_SCHEMA, value)).toBe(true);
    const { providerOptions: _none, ...plain } = request(actionHints('text'), `Requirement: ${IDEA}`);
    expect((await model.complete(plain)).text).toContain(OFFLINE_NOTICE);
  });

  it('refuses a call whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(model.complete({ ...request(actionHints('text'), IDEA), signal: controller.signal })).rejects.toThrow();
  });
});

describe('markdown and text', () => {
  it('writes a title from the output type, the notice, and a section per heading the prompt asks for', async () => {
    const prompt = `Write the system design for: a todo CLI\n\n## Implementation approach\n## File list\n### Data structures and interfaces\nUse the PRD.`;
    const text = (await model.complete(request(actionHints('markdown', { outputType: 'SystemDesign' }), prompt))).text;
    const lines = text.split('\n');
    expect(lines[0]).toBe('# System design: Todo CLI');
    expect(lines).toContain(`> ${OFFLINE_NOTICE}`);
    expect(lines.filter((line) => line.startsWith('## '))).toEqual(['## Implementation approach', '## File list', '## Data structures and interfaces']);
  });

  it('falls back to the prompt list items, then to default sections', async () => {
    const listed = (await model.complete(request(actionHints('markdown'), 'Cover:\n- Goals: what we want\n- **Risks**\n1. Timeline'))).text;
    expect(listed.split('\n').filter((line) => line.startsWith('## '))).toEqual(['## Goals', '## Risks', '## Timeline']);
    const plain = (await model.complete(request(actionHints('markdown'), IDEA))).text;
    expect(plain.split('\n').filter((line) => line.startsWith('## '))).toEqual(['## Overview', '## Details', '## Next steps']);
  });

  it('writes a short paragraph for text, starting with the notice', async () => {
    const text = (await model.complete(request(actionHints('text', { action: 'summarize' }), `Requirement: ${IDEA}`))).text;
    expect(text.startsWith(OFFLINE_NOTICE)).toBe(true);
    expect(text).toContain('Todo CLI');
    expect(text.trim().split('\n')).toHaveLength(1);
  });
});

describe('react choices and plans', () => {
  const choose = async (options: string[], chosen: string[], schema: Record<string, unknown> = CHOICE_SCHEMA(options)) =>
    JSON.parse((await model.complete({ ...request({ kind: 'react-choice', role: 'engineer', options, chosen }, 'New message'), responseSchema: { name: 'choice', schema } })).text) as Record<string, unknown>;

  it('chooses the first option not chosen yet, then done', async () => {
    const options = ['write_code', 'review_code', 'done'];
    const first = await choose(options, []);
    expect(first.action).toBe('write_code');
    expect(ajv.validate(CHOICE_SCHEMA(options), first)).toBe(true);
    expect((await choose(options, ['write_code'])).action).toBe('review_code');
    expect((await choose(options, ['write_code', 'review_code'])).action).toBe('done');
    expect((await choose(['done'], [])).action).toBe('done');
  });

  it('follows the same rule for a choice schema of another shape', async () => {
    const schema = { type: 'object', required: ['next', 'why'], properties: { next: { enum: ['a', 'b', 'done'] }, why: { type: 'string', minLength: 3 } }, additionalProperties: false };
    const value = await choose(['a', 'b', 'done'], ['a'], schema);
    expect(value.next).toBe('b');
    expect(ajv.validate(schema, value)).toBe(true);
  });

  const plan = async (options: string[], schema: Record<string, unknown> = PLAN_SCHEMA(options)) =>
    JSON.parse((await model.complete({ ...request({ kind: 'plan', role: 'engineer', options }, 'New message'), responseSchema: { name: 'plan', schema } })).text) as Record<string, unknown>;

  it('plans every option in order, without done', async () => {
    const options = ['write_code', 'write_tests', 'review_code'];
    const value = await plan([...options, 'done']) as { steps: Array<{ action: string; reason: string }> };
    expect(value.steps.map((step) => step.action)).toEqual(options);
    expect(ajv.validate(PLAN_SCHEMA([...options, 'done']), value)).toBe(true);
  });

  it('keeps the order for a plan schema of another shape', async () => {
    const schema = {
      type: 'object',
      required: ['goal', 'tasks'],
      properties: {
        goal: { type: 'string' },
        tasks: { type: 'array', minItems: 1, items: { type: 'object', required: ['id', 'note'], properties: { id: { enum: ['c', 'a', 'b'] }, note: { type: 'string' } } } },
      },
    };
    const value = await plan(['b', 'c', 'a'], schema) as { tasks: Array<{ id: string }> };
    expect(value.tasks.map((task) => task.id)).toEqual(['b', 'c', 'a']);
    expect(ajv.validate(schema, value)).toBe(true);
  });
});
