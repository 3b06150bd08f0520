import { describe, expect, it } from 'vitest';
import { buildReportData, embedJson, renderGraphSvg } from '../../src/reporting/html/index.js';

/**
 * The report's data from journal records: what the page shows for retries and rate-limit waits,
 * tool calls, re-asks, answers, a run without an end. (The browser tests show it on real runs.)
 */
const T0 = Date.parse('2026-12-03T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const place = { round: 1, role: 'writer', action: 'write', message: 'm0001' };

const records = [
  { type: 'run-info', id: 'r1', sop: { name: 'demo', version: '1.0.0', file: '/x/demo.yaml' }, inputs: { idea: 'x' }, model: 'openai:gpt-4o-mini', workspace: '/w', started: at(0) },
  { type: 'run-start', runId: 'r1', sop: 'demo', version: '1.0.0', file: '/x/demo.yaml', workspace: '/w', model: 'openai:gpt-4o-mini', offline: false, inputs: {}, time: at(0) },
  { type: 'message-published', round: 0, message: { id: 'm0001', type: 'Idea', content: 'x', payload: null, from: 'user', to: null, cause: null, round: 0 }, time: at(1) },
  { type: 'message-delivered', round: 0, message: 'm0001', messageType: 'Idea', recipients: ['writer'], time: at(1) },
  { type: 'call-answered', round: 1, key: 'k2', text: '{"title": "ok"}', promptTokens: 30, completionTokens: 6 },
  { type: 'call-answered', round: 1, key: 'k1', text: 'not json', promptTokens: 20, completionTokens: 3 },
  { type: 'round-start', round: 1, roles: ['writer'], time: at(10) },
  { type: 'action-start', ...place, time: at(10) },
  { type: 'llm-call-start', ...place, purpose: 'action', model: 'openai:gpt-4o-mini', attempt: 1, time: at(11) },
  { type: 'llm-call-retry', ...place, attempt: 1, code: 'PROVIDER_RATE_LIMITED', status: 429, delayMs: 1500, endpoint: 'openai', time: at(12) },
  { type: 'llm-call-end', ...place, purpose: 'action', model: 'openai:gpt-4o-mini', promptTokens: 20, completionTokens: 3, estimated: false, costUsd: 0.001, finishReason: 'length', durationMs: 1600, time: at(1612) },
  { type: 'output-invalid', ...place, attempt: 1, maxAttempts: 3, errors: ['not JSON'], raw: 'not json', time: at(1613) },
  { type: 'llm-call-start', ...place, purpose: 'action', model: 'openai:gpt-4o-mini', attempt: 2, time: at(1614) },
  { type: 'tool-call-start', ...place, tool: 'fs.read', call: 'c1', arguments: '{"path":"a.txt"}', time: at(1620) },
  { type: 'tool-call-end', ...place, tool: 'fs.read', call: 'c1', ok: false, resultBytes: 20, error: 'no such file: a.txt', durationMs: 2, time: at(1622) },
  { type: 'llm-call-end', ...place, purpose: 'action', model: 'openai:gpt-4o-mini', promptTokens: 30, completionTokens: 6, estimated: false, costUsd: 0.002, durationMs: 40, time: at(1660) },
  { type: 'action-end', ...place, outcome: 'published', durationMs: 1660, time: at(1670) },
  { type: 'message-published', round: 1, message: { id: 'm0002', type: 'Draft', content: '{"title": "ok"}', payload: { title: 'ok' }, from: 'writer', to: null, cause: 'm0001', round: 1 }, time: at(1671) },
  { type: 'round-end', round: 1, published: 1, time: at(1672) },
];

describe('report.html data', () => {
  const data = buildReportData(records);

  it('an action run with its retries and the time waited on a rate limit', () => {
    expect(data.actions).toHaveLength(1);
    expect(data.actions[0]).toMatchObject({ role: 'writer', action: 'write', outcome: 'published', retries: 1, waitedMs: 1500, calls: [0, 1], tools: [0], published: ['m0002'], startMs: 10 });
    expect(data.calls[0]?.retries).toEqual([{ attempt: 1, code: 'PROVIDER_RATE_LIMITED', status: 429, delayMs: 1500 }]);
    expect(data.rounds).toEqual([{ round: 1, startMs: 10, durationMs: 1662, actions: [0] }]);
  });

  it('each call its own answer from the journal (matched by round and tokens), and the re-ask says why', () => {
    expect(data.calls.map((call) => call.answer)).toEqual(['not json', '{"title": "ok"}']);
    expect(data.calls[0]?.invalid).toEqual(['not JSON']);
    expect(data.calls[1]?.reason).toEqual({ invalid: ['not JSON'] });
    expect(data.promptsRecorded).toBe(false);
  });

  it('tool calls with arguments and results; messages with payloads and recipients; usage per model', () => {
    expect(data.tools[0]).toMatchObject({ tool: 'fs.read', arguments: '{"path":"a.txt"}', ok: false, error: 'no such file: a.txt', actionRun: 0 });
    expect(data.messages.map((message) => [message.id, message.recipients])).toEqual([['m0001', ['writer']], ['m0002', []]]);
    expect(data.messages[1]?.payload).toEqual({ title: 'ok' });
    expect(data.totals.byModel).toEqual([{ key: 'openai:gpt-4o-mini', calls: 2, promptTokens: 50, completionTokens: 9, costUsd: 0.003, durationMs: 1640 }]);
  });

  it('why each call ended: the event\'s finish reason, `stop` when it names none', () => {
    expect(data.calls.map((call) => call.finishReason)).toEqual(['length', 'stop']);
  });

  it('a tool\'s result as the model got it when the run kept it (--event-prompts); none otherwise', () => {
    expect(data.tools[0]?.result).toBeUndefined();
    const kept = buildReportData([
      { type: 'action-start', ...place, time: at(0) },
      { type: 'tool-call-start', ...place, tool: 'fs.read', call: 'c1', arguments: '{"path":"notes.md"}', time: at(1) },
      { type: 'tool-call-end', ...place, tool: 'fs.read', call: 'c1', ok: true, resultBytes: 13, result: '# Notes\nbuy x', durationMs: 1, time: at(2) },
    ]);
    expect(kept.tools[0]).toMatchObject({ tool: 'fs.read', arguments: '{"path":"notes.md"}', ok: true, resultBytes: 13, result: '# Notes\nbuy x' });
  });

  it('a run with no run-end (in progress or killed) has no end, and no problem is made up', () => {
    expect(data.run).toMatchObject({ id: 'r1', sop: 'demo' });
    expect(data.end).toBeUndefined();
    expect(data.problems).toEqual([]);
  });

  it('a react choice\'s reason is kept with the action run it chose', () => {
    const chosen = buildReportData([
      { type: 'react-choice', round: 2, role: 'writer', message: 'm0003', action: 'fix', reason: 'the review asked for a shorter intro' },
      { type: 'action-start', round: 2, role: 'writer', action: 'fix', message: 'm0003', time: at(0) },
    ]);
    expect(chosen.actions[0]?.reasons).toEqual(['chosen: the review asked for a shorter intro']);
    expect(data.actions[0]?.reasons).toEqual([]);
  });

  it('the embedded JSON cannot close its script element', () => {
    const text = embedJson({ answer: '</script><script>alert(1)</script><!--' });
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual({ answer: '</script><script>alert(1)</script><!--' });
  });

  it('the graph marks what ran, and escapes labels', () => {
    const svg = renderGraphSvg(
      { nodes: [{ id: 'user', kind: 'start', lines: ['user'] }, { id: 'role_a', kind: 'role', lines: ['A <b>', 'a'] }, { id: 'role_b', kind: 'role', lines: ['B', 'b'] }],
        edges: [{ from: 'user', to: 'role_a', label: 'Idea', dashed: false }, { from: 'role_a', to: 'role_b', label: 'Draft', dashed: false }] },
      { user: 'ran', role_a: 'ran' },
      new Set(['user\u0000role_a\u0000Idea']),
    );
    expect(svg).toContain('A &lt;b&gt;');
    expect(svg.match(/class="node role ran"/g)).toHaveLength(1);
    expect(svg.match(/class="edge taken"/g)).toHaveLength(1);
  });
});
