import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { noFaults, type Fault, type FaultPlan } from './faults.js';
import { cutAtMaxTokens } from './max-tokens.js';
import { outputToolName, wireRequest } from './anthropic-wire.js';
import { answerLikeOffline, shapeJsonReply, type WireRequest } from './offline-answer.js';
import { speakAnswer, type AnswerFunction } from './scripted-answer.js';

export const TEST_ANTHROPIC_KEY = 'sk-test-SECRET-123456';

export interface FakeAnthropicOptions {
  faults?: FaultPlan;
  /** Reply text or tool calls; default: what the offline model would answer. */
  answer?: AnswerFunction;
  /** Check the key (default true): `x-api-key`, or `Authorization: Bearer` as SDK 1.x sends it. */
  requireKey?: boolean;
}

export interface FakeAnthropic {
  /** Base URL for the SDK (`http://127.0.0.1:PORT`); it posts to `/v1/messages`. */
  url: string;
  /** `url`: the path and query as sent (`/v1/messages?api-version=...`). */
  requests: Array<{ url: string; body: any; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A reply block; `json` is the tool input as streamed in `input_json_delta` pieces (not sent in JSON replies). */
type Block = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; json: string };

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/**
 * A loopback Anthropic Messages API (POST /v1/messages, JSON or SSE) for tests through the real
 * SDK. Answers like the offline model; faults come from the shared plans with Anthropic error bodies.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const faults = options.faults ?? noFaults;
  const answer: AnswerFunction = options.answer ?? answerLikeOffline;
  const requests: FakeAnthropic['requests'] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') return sendError(res, 404, `${req.method} ${req.url} not found`);
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        return sendError(res, 400, 'the request body is not valid JSON');
      }
      const index = requests.length;
      requests.push({ url: req.url ?? '/', body, headers: req.headers });
      const problem = checkRequest(req.headers, body, options.requireKey ?? true);
      if (problem) return sendError(res, problem.status, problem.message);
      const fault = faults(index);
      if (fault?.kind === 'status') return sendError(res, fault.status, `injected ${fault.status}`, fault);
      if (fault?.kind === 'hang') return;
      if (body.model === 'missing-model') return sendError(res, 404, `model: ${body.model}`);
      reply(res, body, answer, fault, index);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function checkRequest(headers: IncomingHttpHeaders, body: any, requireKey: boolean): { status: number; message: string } | undefined {
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  const key = headers['x-api-key'] ?? bearer;
  if (requireKey && key !== TEST_ANTHROPIC_KEY) return { status: 401, message: 'invalid x-api-key' };
  const version = headers['anthropic-version'];
  if (!version) return { status: 400, message: 'anthropic-version: header is required' };
  if (typeof body.max_tokens !== 'number') return { status: 400, message: 'max_tokens: Field required' };
  if (!Array.isArray(body.messages)) return { status: 400, message: 'messages: Field required' };
  // API version 2026-10-21 removed the sampling parameters.
  for (const field of ['temperature', 'top_p', 'top_k']) {
    if (String(version) >= '2026-10-21' && field in body) return { status: 400, message: `${field}: Extra inputs are not permitted` };
  }
  return undefined;
}

function reply(res: ServerResponse, body: any, answer: AnswerFunction, fault: Fault | undefined, index: number): void {
  const wire = wireRequest(body);
  const output = outputToolName(body);
  const spoken = speakAnswer(answer, wire);
  let blocks: Block[];
  if (spoken.toolCalls.length > 0) {
    const uses = spoken.toolCalls.map((call, position): Block => ({ type: 'tool_use', id: `toolu_${index}_${position + 1}`, name: call.name, input: call.input, json: call.json }));
    blocks = [...(spoken.text ? [{ type: 'text' as const, text: spoken.text }] : []), ...uses];
  } else {
    blocks = [answerBlock(spoken.text, output, wire, fault, index)];
  }
  // Only a text answer is cut at max_tokens here (an output tool's input stays whole).
  const [only] = blocks;
  const limited = blocks.length === 1 && only?.type === 'text' ? cutAtMaxTokens(only.text, body.max_tokens) : { text: '', cut: false };
  if (limited.cut) blocks = [{ type: 'text', text: limited.text }];
  const outputText = blocks.map((block) => (block.type === 'text' ? block.text : block.json)).join('');
  const usage = fault?.kind === 'no-usage' ? undefined : { input_tokens: estimate(JSON.stringify(body.messages) + (body.system ?? '')), output_tokens: estimate(outputText) };
  const message = {
    id: `msg_${index}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: blocks.map((block) => (block.type === 'text' ? block : { type: 'tool_use', id: block.id, name: block.name, input: block.input })),
    stop_reason: limited.cut ? 'max_tokens' : blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    ...(usage ? { usage } : {}),
  };
  if (body.stream === true) return sendStream(res, message, blocks, usage, fault?.kind === 'truncate');
  const json = JSON.stringify(message);
  if (fault?.kind === 'truncate') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), 'request-id': `req_${index}` });
    res.write(json.slice(0, Math.floor(json.length / 2)));
    return void setTimeout(() => res.destroy(), 10);
  }
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${index}` }).end(json);
}

/** A final answer: through the output tool when there is one and the text is a JSON object, else text. */
function answerBlock(text: string, output: string | undefined, wire: WireRequest, fault: Fault | undefined, index: number): Block {
  // An output tool's input is always an object; a model gone astray answers in prose instead.
  if (fault?.kind === 'malformed-json') return { type: 'text', text: shapeJsonReply(text, 'malformed-json', wire.schema) };
  const input = output ? parseObject(text) : undefined;
  if (output && input) {
    if (fault?.kind === 'missing-fields') for (const field of (wire.schema?.required as string[] | undefined) ?? []) delete input[field];
    return { type: 'tool_use', id: `toolu_${index}`, name: output, input, json: JSON.stringify(input) };
  }
  if (fault?.kind === 'missing-fields') return { type: 'text', text: shapeJsonReply(text, 'missing-fields', wire.schema) };
  return { type: 'text', text };
}

/** The real event sequence; each block's text or tool input arrives in a few deltas. */
function sendStream(res: ServerResponse, message: Record<string, unknown>, blocks: Block[], usage: Record<string, number> | undefined, truncate: boolean): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const startUsage = usage ? { usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } : {};
  send('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, ...startUsage } });
  send('ping', { type: 'ping' });
  for (const [index, block] of blocks.entries()) {
    const start = block.type === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: block.id, name: block.name, input: {} };
    send('content_block_start', { type: 'content_block_start', index, content_block: start });
    for (const [position, chunk] of splitInThree(block.type === 'text' ? block.text : block.json).entries()) {
      const delta = block.type === 'text' ? { type: 'text_delta', text: chunk } : { type: 'input_json_delta', partial_json: chunk };
      send('content_block_delta', { type: 'content_block_delta', index, delta });
      if (truncate && position === 0) return void setTimeout(() => res.destroy(), 10);
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  }
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    ...(usage ? { usage: { output_tokens: usage.output_tokens } } : {}),
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}

function sendError(res: ServerResponse, status: number, message: string, fault?: Extract<Fault, { kind: 'status' }>): void {
  const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const body = fault?.body ?? { type: 'error', error: { type, message } };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fault?.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  res.writeHead(status, headers).end(JSON.stringify(body));
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function splitInThree(text: string): string[] {
  const third = Math.ceil(text.length / 3) || 1;
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)].filter((chunk, position) => chunk || position === 0);
}

function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => resolve(raw));
    req.on('error', () => resolve(raw));
  });
}
