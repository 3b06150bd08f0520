import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { answerLikeOffline, type WireRequest } from '../support/fake-llm/offline-answer.js';
import { callThenAnswer } from '../support/fake-llm/tool-script.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp/otlp-receiver.js';
import { always, firstRequests } from '../support/fake-llm/faults.js';
import { FAST_RETRIES, lastRun, project, TEST_KEY } from './providers-helpers.js';
import { journalLines, journalRecords, runDirOf, start, startSlowProxy, waitFor, writeSop } from './resume-helpers.js';

/**
 * Traces and metrics of real runs (bin/sop.js against the loopback OpenAI server), exported over
 * OTLP/HTTP to a loopback receiver that decodes them as a collector would.
 */
afterAll(removeTempDirs);

const MODEL = ['--model', 'openai:gpt-4o-mini'];

/** Two roles; the writer lists the workspace with a tool before answering, and its draft passes a gate. */
const TRACED_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: traced, version: 1.2.0 }
settings: { n_round: 4 }
messages:
  Idea: {}
  Draft: {}
  Review: {}
start:
  - type: Idea
    content: "{{ inputs.idea }}"
stop_when:
  - type: Review
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: draft
        prompt: "Draft a plan for {{ message.content }}; list the workspace first"
        tools: [fs.list]
        output: { type: Draft, format: markdown }
        gates:
          - name: long-enough
            length: { min: 3 }
  reviewer:
    profile: Reviewer
    watch: [Draft]
    actions:
      - id: review
        prompt: "Review the plan: {{ message.content }}"
        output: { type: Review, format: markdown }
`;

/** One role whose model may answer 8 tokens: the loopback server cuts the answer there, as a real one does. */
const CUT_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: cut, version: 1.0.0 }
settings: { n_round: 2 }
messages:
  Idea: {}
  Draft: {}
start:
  - type: Idea
    content: "{{ inputs.idea }}"
stop_when:
  - type: Draft
roles:
  writer:
    profile: Writer
    watch: [Idea]
    model: { provider: openai, name: gpt-4o-mini, max_tokens: 8 }
    actions:
      - id: draft
        prompt: "Draft a long plan for {{ message.content }}"
        output: { type: Draft, format: markdown }
`;

/** The writer's first call asks for fs.list; every other answer is what the offline model would say. */
function answer(request: WireRequest) {
  const asked = request.messages.some((message) => message.content.includes('list the workspace'));
  return asked ? callThenAnswer([{ name: 'fs_list', arguments: { path: '.' } }], { final: () => 'A plan: list, then write.' })(request) : answerLikeOffline(request);
}

async function servers(context: TestContext): Promise<{ llm: FakeOpenAI; otlp: OtlpReceiver }> {
  const llm = await startFakeOpenAI({ answer });
  const otlp = await startOtlpReceiver();
  context.onTestFinished(async () => {
    await llm.close();
    await otlp.close();
  });
  return { llm, otlp };
}

/** What `sop` derives a run's trace id from (docs/design.md, Telemetry): a resume continues it. */
function traceIdOf(runId: string): string {
  return createHash('sha256').update(`sop-run:${runId}`).digest('hex').slice(0, 32);
}

const otelEnv = (otlp: OtlpReceiver, extra: Record<string, string> = {}): Record<string, string> => ({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'sop-under-test', ...extra });

const named = (spans: ReceivedSpan[], name: string): ReceivedSpan[] => spans.filter((span) => span.name === name);

describe('OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('exports the span tree of a run: run -> invoke_agent -> chat / execute_tool, with GenAI attributes', async (context) => {
    const { llm, otlp } = await servers(context);
    const cwd = project();
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    const result = await start(cwd, ['run', 'traced.yaml', 'a todo app', ...MODEL], llm.url, otelEnv(otlp)).done;
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    const { report } = lastRun(cwd);
    const runId = report.runId as string;
    const spans = otlp.spans;
    expect(otlp.contentTypes.every((type) => type.startsWith('application/json'))).toBe(true);

    // One trace, derived from the run id; one root, the run.
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([traceIdOf(runId)]));
    const [root, ...otherRoots] = spans.filter((span) => span.parentSpanId === '');
    expect(otherRoots).toEqual([]);
    expect(root?.name).toBe('sop run traced');
    expect(root?.attributes).toMatchObject({ 'sop.run.id': runId, 'sop.sop.name': 'traced', 'sop.sop.version': '1.2.0', 'gen_ai.conversation.id': runId, 'sop.run.status': 'completed', 'sop.run.exit_code': 0 });
    expect(root?.resource['service.name']).toBe('sop-under-test');

    // An invoke_agent span per action run, children of the run.
    const agents = spans.filter((span) => span.name.startsWith('invoke_agent '));
    expect(agents.map((span) => span.name).sort()).toEqual(['invoke_agent reviewer', 'invoke_agent writer']);
    for (const agent of agents) {
      expect(agent.parentSpanId).toBe(root?.spanId);
      expect(agent.attributes['gen_ai.operation.name']).toBe('invoke_agent');
      expect(agent.attributes['sop.action.outcome']).toBe('published');
    }
    const writer = named(spans, 'invoke_agent writer')[0] as ReceivedSpan;
    expect(writer.attributes).toMatchObject({ 'gen_ai.agent.name': 'writer', 'sop.action': 'draft', 'sop.round': 1 });

    // chat spans under their action, with what the provider really reported.
    const chats = named(spans, 'chat gpt-4o-mini');
    expect(chats.length).toBe(llm.requests.filter((request) => request.path === '/v1/chat/completions').length);
    for (const chat of chats) {
      expect(agents.map((agent) => agent.spanId)).toContain(chat.parentSpanId);
      expect(chat.kind).toBe(3); // CLIENT
      expect(chat.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini' });
      expect(chat.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      // Prompts are not exported unless asked for.
      expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
    }
    // Why each call ended: the writer's first call asked for fs.list, every other answer was whole.
    const reasons = chats.map((chat) => JSON.stringify(chat.attributes['gen_ai.response.finish_reasons'])).sort();
    expect(reasons).toEqual([...Array.from({ length: chats.length - 1 }, () => '["stop"]'), '["tool_calls"]']);
    const tokens = (name: string): number => chats.reduce((sum, chat) => sum + Number(chat.attributes[name]), 0);
    expect(tokens('gen_ai.usage.input_tokens')).toBe(report.usage.total.promptTokens);
    expect(tokens('gen_ai.usage.output_tokens')).toBe(report.usage.total.completionTokens);

    // The tool call under the writer's action; the gate check an event of it.
    const [tool] = named(spans, 'execute_tool fs.list');
    expect(tool?.parentSpanId).toBe(writer.spanId);
    expect(tool?.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'fs.list' });
    expect(writer.events.find((event) => event.name === 'sop.gate long-enough')?.attributes).toMatchObject({ 'sop.gate.kind': 'assert', 'sop.gate.passed': true });

    // Metrics on the same endpoint.
    const metric = (name: string) => otlp.metrics.filter((candidate) => candidate.name === name).flatMap((candidate) => candidate.points);
    const usage = metric('gen_ai.client.token.usage');
    expect(usage.find((point) => point.attributes['gen_ai.token.type'] === 'input')?.value).toBe(report.usage.total.promptTokens);
    expect(usage.find((point) => point.attributes['gen_ai.token.type'] === 'output')?.value).toBe(report.usage.total.completionTokens);
    expect(metric('gen_ai.client.operation.duration')[0]?.count).toBe(chats.length);
    expect(metric('sop.gate.checks')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ 'sop.gate.name': 'long-enough', 'sop.gate.passed': true }), value: 1 })]);
    expect(metric('sop.runs')).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ 'sop.run.status': 'completed' }), value: 1 })]);

    // Nothing secret left the process.
    expect(JSON.stringify(spans)).not.toContain(TEST_KEY);
  });

  it('an answer cut at max_tokens: its llm-call-end event says finishReason length, its chat span finish_reasons ["length"]', async (context) => {
    const { llm, otlp } = await servers(context);
    const cwd = project();
    writeFileSync(path.join(cwd, 'cut.yaml'), CUT_SOP);
    const result = await start(cwd, ['run', 'cut.yaml', 'a todo app'], llm.url, otelEnv(otlp)).done;
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(llm.requests.find((request) => request.path === '/v1/chat/completions')?.body.max_completion_tokens).toBe(8);

    const record = lastRun(cwd);
    const ends = record.events.filter((event) => event.type === 'llm-call-end');
    expect(ends.map((event) => event.finishReason)).toEqual(['length']);
    // The journaled answer keeps it too, for a resume to report.
    expect(journalRecords(record.dir).filter((line) => line.type === 'call-answered').map((line) => line.finishReason)).toEqual(['length']);
    const [chat, ...more] = named(otlp.spans, 'chat gpt-4o-mini');
    expect(more).toEqual([]);
    expect(chat?.attributes['gen_ai.response.finish_reasons']).toEqual(['length']);
    expect(chat?.attributes['gen_ai.usage.output_tokens']).toBe(8);
  });

  it('exports prompts and tool arguments only when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true, secrets masked', async (context) => {
    const { llm, otlp } = await servers(context);
    const cwd = project();
    // The idea carries the API key: it must reach the span masked.
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    const result = await start(cwd, ['run', 'traced.yaml', `a todo app ${TEST_KEY}`, ...MODEL], llm.url, otelEnv(otlp, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' })).done;
    expect(result.code, result.stderr).toBe(0);
    const chats = named(otlp.spans, 'chat gpt-4o-mini');
    const prompts = chats.map((chat) => JSON.parse(String(chat.attributes['gen_ai.input.messages'])));
    expect(prompts[0]).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'user', parts: [expect.objectContaining({ type: 'text', content: expect.stringContaining('Draft a plan for a todo app') })] })]));
    expect(named(otlp.spans, 'execute_tool fs.list')[0]?.attributes['gen_ai.tool.call.arguments']).toBe('{"path":"."}');
    expect(JSON.stringify(otlp.spans)).not.toContain(TEST_KEY);
  });

  it('an interrupted run flushes its spans, and its resume continues the same trace, linked to the first root', async (context) => {
    const llm = await startFakeOpenAI();
    const otlp = await startOtlpReceiver();
    const slow = await startSlowProxy(llm.url, 60);
    context.onTestFinished(async () => {
      await slow.close();
      await llm.close();
      await otlp.close();
    });
    const cwd = project();
    const sopFile = writeSop(cwd);
    slow.answerAtMost = 3;
    const running = start(cwd, ['run', sopFile, 'a todo app', ...MODEL], slow.url, otelEnv(otlp));
    await waitFor(() => journalLines(runDirOf(cwd)) >= 3, () => `stderr: ${running.stderr()}`);
    running.child.kill('SIGINT');
    const stopped = await running.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    slow.answerAtMost = Number.POSITIVE_INFINITY;
    const runId = path.basename(runDirOf(cwd) as string);
    const traceId = traceIdOf(runId);
    const first = otlp.spans.filter((span) => span.parentSpanId === '');
    expect(first.map((span) => [span.name, span.traceId, span.attributes['sop.run.status']])).toEqual([['sop run fan-out', traceId, 'interrupted']]);
    const firstRoot = first[0] as ReceivedSpan;
    const before = otlp.spans.length;

    const resumed = await start(cwd, ['resume', runId], slow.url, otelEnv(otlp)).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = otlp.spans.slice(before);
    expect(new Set(after.map((span) => span.traceId))).toEqual(new Set([traceId]));
    const [resumeRoot, ...others] = after.filter((span) => span.parentSpanId === '');
    expect(others).toEqual([]);
    expect(resumeRoot?.name).toBe('sop resume fan-out');
    expect(resumeRoot?.attributes).toMatchObject({ 'sop.run.id': runId, 'sop.run.resumed': true, 'sop.sop.name': 'fan-out', 'sop.run.status': 'completed' });
    expect(resumeRoot?.links).toEqual([{ traceId, spanId: firstRoot.spanId }]);
    expect(after.filter((span) => span.name.startsWith('invoke_agent ')).every((span) => span.parentSpanId === resumeRoot?.spanId)).toBe(true);
  });

  it('a run killed outright (SIGKILL, nothing flushed) is resumed into the trace derived from its run id', async (context) => {
    const llm = await startFakeOpenAI();
    const otlp = await startOtlpReceiver();
    const slow = await startSlowProxy(llm.url, 60);
    context.onTestFinished(async () => {
      await slow.close();
      await llm.close();
      await otlp.close();
    });
    const cwd = project();
    slow.answerAtMost = 3;
    const running = start(cwd, ['run', writeSop(cwd), 'a todo app', ...MODEL], slow.url, otelEnv(otlp));
    await waitFor(() => journalLines(runDirOf(cwd)) >= 3, () => `stderr: ${running.stderr()}`);
    running.child.kill('SIGKILL');
    await running.done;
    slow.answerAtMost = Number.POSITIVE_INFINITY;
    const runId = path.basename(runDirOf(cwd) as string);
    const before = otlp.spans.length;
    const resumed = await start(cwd, ['resume', runId], slow.url, otelEnv(otlp)).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = otlp.spans.slice(before);
    const traceId = traceIdOf(runId);
    expect(new Set(after.map((span) => span.traceId))).toEqual(new Set([traceId]));
    const resumeRoot = after.find((span) => span.parentSpanId === '');
    // The link names the first root span by the id derived from the run, even though it was never sent.
    const rootSpanId = createHash('sha256').update(`sop-run:${runId}`).digest('hex').slice(32, 48);
    expect(resumeRoot?.links).toEqual([{ traceId, spanId: rootSpanId }]);
    // Calls the killed process made are answered from the journal: their chat spans say so.
    expect(after.some((span) => span.name === 'chat gpt-4o-mini' && span.attributes['sop.call.resumed'] === true)).toBe(true);
  });

  it('retries are events of their chat span; a provider that fails marks the call, its action and the run with error.type', async (context) => {
    const otlp = await startOtlpReceiver();
    const flaky = await startFakeOpenAI({ answer, faults: firstRequests({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }) });
    const down = await startFakeOpenAI({ faults: always({ kind: 'status', status: 500 }) });
    context.onTestFinished(async () => {
      await Promise.all([otlp.close(), flaky.close(), down.close()]);
    });
    const cwd = project(`providers:\n  openai: { ${FAST_RETRIES} }\n`);
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    const recovered = await start(cwd, ['run', 'traced.yaml', 'a todo app', ...MODEL], flaky.url, otelEnv(otlp)).done;
    expect(recovered.code, recovered.stderr).toBe(0);
    const firstCall = otlp.spans.find((span) => span.name === 'chat gpt-4o-mini' && span.events.length > 0);
    expect(firstCall?.events.map((event) => [event.name, event.attributes['http.response.status_code']])).toEqual([['sop.llm.retry', 503], ['sop.llm.retry', 503]]);
    expect(firstCall?.status.code ?? 0).not.toBe(2);
    const retries = otlp.metrics.filter((metric) => metric.name === 'sop.llm.retries').flatMap((metric) => metric.points);
    expect(retries.reduce((sum, point) => sum + point.value, 0)).toBe(2);

    const before = otlp.spans.length;
    const failed = await start(cwd, ['run', 'traced.yaml', 'a todo app', ...MODEL, '--no-cache'], down.url, otelEnv(otlp)).done;
    expect(failed.code, failed.stderr).toBe(10);
    const spans = otlp.spans.slice(before);
    const root = spans.find((span) => span.parentSpanId === '');
    const chat = spans.find((span) => span.name === 'chat gpt-4o-mini');
    const agent = spans.find((span) => span.name === 'invoke_agent writer');
    expect(root?.status.code).toBe(2); // ERROR
    expect(String(root?.attributes['error.type'])).toMatch(/^PROVIDER_/);
    expect(chat?.status.code).toBe(2);
    expect(String(chat?.attributes['error.type'])).toMatch(/^PROVIDER_/);
    expect(agent?.attributes).toMatchObject({ 'sop.action.outcome': 'failed', 'error.type': 'failed' });
    const errors = otlp.metrics.filter((metric) => metric.name === 'sop.errors').flatMap((metric) => metric.points);
    expect(errors.map((point) => point.attributes['error.type'])).toEqual([root?.attributes['error.type']]);
  });

  it('a collector that cannot be reached costs one warning, never the run', async (context) => {
    const { llm, otlp } = await servers(context);
    const unreachable = otlp.url;
    await otlp.close();
    const cwd = project();
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    const result = await start(cwd, ['run', 'traced.yaml', 'a todo app', ...MODEL, '--quiet'], llm.url, { OTEL_EXPORTER_OTLP_ENDPOINT: unreachable, OTEL_EXPORTER_OTLP_TIMEOUT: '2000' }).done;
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/warning: could not export traces/g)).toHaveLength(1);
  });
});

describe('sop eval with telemetry', () => {
  it('gives each run of the eval its own trace, and serves the metrics of all of them with --metrics-port', async (context) => {
    const { llm, otlp } = await servers(context);
    const cwd = project();
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - name: todo\n    inputs: { idea: "a todo app" }\n  - name: notes\n    inputs: { idea: "a notes app" }\n');
    const port = await freePort();
    const result = await start(cwd, ['eval', 'traced.yaml', '--dataset', 'cases.yaml', ...MODEL, '--metrics-port', String(port)], llm.url, otelEnv(otlp)).done;
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`metrics: http://127.0.0.1:${port}/metrics`);
    const roots = otlp.spans.filter((span) => span.parentSpanId === '');
    expect(roots.map((span) => span.name)).toEqual(['sop run traced', 'sop run traced']);
    for (const root of roots) expect(root.traceId).toBe(traceIdOf(String(root.attributes['sop.run.id'])));
    expect(new Set(roots.map((root) => root.traceId)).size).toBe(2);
    for (const agent of otlp.spans.filter((span) => span.name.startsWith('invoke_agent '))) {
      expect(roots.find((root) => root.spanId === agent.parentSpanId)?.traceId).toBe(agent.traceId);
    }
    const runs = otlp.metrics.filter((metric) => metric.name === 'sop.runs').flatMap((metric) => metric.points);
    expect(runs.reduce((sum, point) => sum + point.value, 0)).toBe(2);
  });
});

/** The JSON objects of a stderr, one a line; any other line fails the test. */
function jsonLines(stderr: string): Array<Record<string, any>> {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

describe('--log-format json (SOP_LOG_FORMAT)', () => {
  it('writes one JSON object per event on stderr, with run_id, round, role, action and the span of the event', async (context) => {
    const { llm, otlp } = await servers(context);
    const cwd = project();
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    const result = await start(cwd, ['run', 'traced.yaml', 'a todo app', ...MODEL, '--log-format', 'json'], llm.url, otelEnv(otlp)).done;
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result.stderr);
    const { report } = lastRun(cwd);
    const runId = report.runId as string;
    expect(lines[0]).toMatchObject({ event: 'run-start', level: 'info', run_id: runId, sop: 'traced', trace_id: traceIdOf(runId) });
    expect(lines.at(-1)).toMatchObject({ event: 'run-end', status: 'completed', run_id: runId });
    expect(lines.every((line) => typeof line['time'] === 'string' && typeof line['msg'] === 'string' && line['run_id'] === runId)).toBe(true);
    // Each model call's line names where it happened and the chat span it ended.
    const calls = lines.filter((line) => line['event'] === 'llm-call-end');
    expect(calls.length).toBe(named(otlp.spans, 'chat gpt-4o-mini').length);
    const chatSpans = new Set(named(otlp.spans, 'chat gpt-4o-mini').map((span) => span.spanId));
    for (const call of calls) {
      expect(call).toMatchObject({ round: expect.any(Number), role: expect.any(String), action: expect.any(String), trace_id: traceIdOf(runId), model: 'openai:gpt-4o-mini' });
      expect(chatSpans.has(call['span_id'])).toBe(true);
    }
    const toolLine = lines.find((line) => line['event'] === 'tool-call-end');
    expect(toolLine).toMatchObject({ role: 'writer', action: 'draft', round: 1, tool: 'fs.list', span_id: named(otlp.spans, 'execute_tool fs.list')[0]?.spanId });
  });

  it('SOP_LOG_FORMAT=json without tracing: no trace fields, secrets masked; an unknown format is a usage error', async (context) => {
    const { llm } = await servers(context);
    const cwd = project();
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    const result = await start(cwd, ['run', 'traced.yaml', `a todo app ${TEST_KEY}`, ...MODEL], llm.url, { SOP_LOG_FORMAT: 'json' }).done;
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result.stderr);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((line) => 'trace_id' in line)).toBe(false);
    expect(lines[0]?.['inputs']).toEqual({ idea: expect.stringContaining('a todo app') });
    expect(result.stderr).not.toContain(TEST_KEY);

    const refused = await start(cwd, ['run', 'traced.yaml', 'a todo app', ...MODEL], llm.url, { SOP_LOG_FORMAT: 'yaml' }).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    expect(refused.stderr).toContain('SOP_LOG_FORMAT=yaml: expected one of human, json');
  });
});

/** A port nothing listens on now (the Prometheus exporter reads port 0 as its default, 9464). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('--metrics-port (Prometheus)', () => {
  it('serves the run\'s metrics at http://127.0.0.1:PORT/metrics while it runs', async (context) => {
    const llm = await startFakeOpenAI();
    const slow = await startSlowProxy(llm.url, 60);
    context.onTestFinished(async () => {
      await slow.close();
      await llm.close();
    });
    const cwd = project();
    const port = await freePort();
    slow.answerAtMost = 2;
    const running = start(cwd, ['run', writeSop(cwd), 'a todo app', ...MODEL, '--metrics-port', String(port)], slow.url);
    await waitFor(() => journalLines(runDirOf(cwd)) >= 2, () => `stderr: ${running.stderr()}`);
    expect(running.stderr()).toContain(`metrics: http://127.0.0.1:${port}/metrics`);
    // The second call's end event follows its journal line: scrape until it is counted.
    let text = '';
    const until = Date.now() + 60_000;
    while (Date.now() < until && !/gen_ai_client_operation_duration\w*_count\{[^}]*\} 2\b/.test(text)) {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      text = await response.text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(text).toMatch(/gen_ai_client_operation_duration\w*_count\{[^}]*gen_ai_provider_name="openai"[^}]*\} 2\b/);
    expect(text).toMatch(/gen_ai_client_token_usage\w*_sum\{[^}]*gen_ai_token_type="input"[^}]*\} \d+/);
    running.child.kill('SIGINT');
    expect((await running.done).code).toBe(130);
  });

  it('a port in use is a usage error before the run starts', async (context) => {
    const { llm } = await servers(context);
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    context.onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    const cwd = project();
    writeFileSync(path.join(cwd, 'traced.yaml'), TRACED_SOP);
    const result = await start(cwd, ['run', 'traced.yaml', 'a todo app', ...MODEL, '--metrics-port', String(port)], llm.url).done;
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(`error USAGE: port ${port} on 127.0.0.1 is in use (another sop serving its metrics there?)\n  hint: pick another with --metrics-port`);
    expect(result.stderr).not.toContain('EADDRINUSE');
  });
});
