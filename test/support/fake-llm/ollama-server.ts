import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FaultPlan } from './faults.js';
import { noFaults } from './faults.js';
import { cutAtMaxTokens } from './max-tokens.js';
import { answerLikeOffline, parsedArguments, shapeJsonReply, type WireRequest } from './offline-answer.js';
import { speakAnswer, type AnswerFunction, type SpokenToolCall } from './scripted-answer.js';

export interface FakeOllamaOptions {
  faults?: FaultPlan;
  /** Reply text or tool calls for a chat request; default: what the offline model would answer. */
  answer?: AnswerFunction;
  /** Chat requests served before the server answers 503 to everything (guards runaway retries). */
  maxRequests?: number;
}

export interface FakeOllama {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Every `/api/chat` request received, in order. */
  /** `url`: the path and query as sent (`/api/chat?key=...`). */
  requests: Array<{ url: string; body: any; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** The model name that always answers 404 `model 'missing-model' not found`. */
export const MISSING_MODEL = 'missing-model';

/** The token count the fake server reports for a text: one per 4 characters, rounded up. */
export function fakeTokenCount(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * A loopback Ollama: POST /api/chat (JSON, or NDJSON when `stream` is true or absent, as Ollama
 * streams by default), GET /api/tags, GET /api/version. Faults from `faults.ts` decide per chat
 * request; errors use Ollama's `{ "error": "..." }` body.
 */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const faults = options.faults ?? noFaults;
  const answer: AnswerFunction = options.answer ?? answerLikeOffline;
  const maxRequests = options.maxRequests ?? 200;
  const requests: FakeOllama['requests'] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => sendJson(response, 500, { error: String(error) }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'GET' && url.pathname === '/api/version') return sendJson(response, 200, { version: '0.0.0-fake' });
    if (request.method === 'GET' && url.pathname === '/api/tags') return sendJson(response, 200, { models: [modelEntry('llama3.2:latest')] });
    if (request.method === 'GET' && url.pathname === '/') return void response.end('Ollama is running');
    if (request.method !== 'POST' || url.pathname !== '/api/chat') return sendJson(response, 404, { error: '404 page not found' });
    const body = JSON.parse(await readBody(request)) as Record<string, any>;
    const index = requests.length;
    requests.push({ url: request.url ?? '/', body, headers: request.headers });
    if (index >= maxRequests) return sendJson(response, 503, { error: `fake server: more than ${maxRequests} requests` });
    if (body.model === MISSING_MODEL) return sendJson(response, 404, { error: `model '${MISSING_MODEL}' not found` });
    const fault = faults(index);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      return sendJson(response, fault.status, fault.body ?? { error: `fake fault ${fault.status}` }, headers);
    }
    const wire = toWireRequest(body);
    const spoken = speakAnswer(answer, wire);
    let text = spoken.text;
    const calls = spoken.toolCalls;
    if (calls.length === 0 && (fault?.kind === 'malformed-json' || fault?.kind === 'missing-fields')) text = safeShape(text, fault.kind, wire.schema);
    const limited = calls.length === 0 ? cutAtMaxTokens(text, body.options?.num_predict) : { text, cut: false };
    text = limited.text;
    const doneReason = limited.cut ? 'length' : 'stop';
    const counts = fault?.kind === 'no-usage' ? {} : {
      prompt_eval_count: fakeTokenCount(wire.system + wire.messages.map((message) => message.content).join('')),
      eval_count: fakeTokenCount(text + calls.map((call) => call.name + call.json).join('')),
    };
    const truncate = fault?.kind === 'truncate';
    if (wire.stream) return streamReply(response, body.model, text, calls, { ...counts, done_reason: doneReason }, truncate);
    const final = chunk(body.model, text, true);
    if (calls.length > 0) (final.message as Record<string, unknown>).tool_calls = calls.map(wireToolCall);
    const reply = JSON.stringify({ ...final, ...counts, done_reason: doneReason });
    if (!truncate) return sendJson(response, 200, JSON.parse(reply));
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.write(reply.slice(0, Math.floor(reply.length / 2)));
    setTimeout(() => response.destroy(), 20);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
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

/**
 * NDJSON: a few content chunks, the tool calls whole in a chunk of their own (as Ollama sends
 * them), then `done: true` with the counts and done_reason; truncated streams stop midway.
 */
function streamReply(response: ServerResponse, model: string, text: string, calls: SpokenToolCall[], final: object, truncate: boolean): void {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const lines = (text || calls.length === 0 ? (text.match(/[\s\S]{1,24}/g) ?? ['']) : []).map((piece) => chunk(model, piece, false));
  if (calls.length > 0) {
    const toolChunk = chunk(model, '', false);
    (toolChunk.message as Record<string, unknown>).tool_calls = calls.map(wireToolCall);
    lines.push(toolChunk);
  }
  const sent = truncate ? lines.slice(0, Math.max(1, Math.floor(lines.length / 2))) : lines;
  for (const line of sent) response.write(`${JSON.stringify(line)}\n`);
  if (truncate) {
    setTimeout(() => response.destroy(), 20);
    return;
  }
  response.end(`${JSON.stringify({ ...chunk(model, '', true), ...final })}\n`);
}

/** Ollama sends arguments as an object; a script's text that is no JSON object goes out as that text. */
function wireToolCall(call: SpokenToolCall): Record<string, unknown> {
  const parsed = parsedArguments(call.json);
  const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  return { function: { name: call.name, arguments: isObject ? call.input : call.json } };
}

function chunk(model: string, content: string, done: boolean): Record<string, unknown> {
  return { model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done };
}

function toWireRequest(body: Record<string, any>): WireRequest {
  const messages: Array<Record<string, any>> = Array.isArray(body.messages) ? body.messages : [];
  const format: unknown = body.format;
  let callCount = 0;
  const toolCalls = messages
    .filter((message) => message.role === 'assistant' && Array.isArray(message.tool_calls))
    .flatMap((message) => (message.tool_calls as any[]).map((call) => ({ id: `call_${(callCount += 1)}`, name: String(call.function?.name), arguments: parsedArguments(call.function?.arguments) })));
  const tools = Array.isArray(body.tools) ? (body.tools as any[]) : [];
  return {
    model: String(body.model ?? ''),
    system: messages.filter((message) => message.role === 'system').map((message) => message.content).join('\n\n'),
    messages: messages
      .filter((message) => message.role === 'user' || message.role === 'assistant')
      .map((message) => ({ role: message.role as 'user' | 'assistant', content: String(message.content ?? '') })),
    // `format: "json"` asks for any JSON value: answer an object.
    schema: format && typeof format === 'object' ? (format as Record<string, unknown>) : format === 'json' ? { type: 'object' } : undefined,
    stream: body.stream !== false,
    tools: tools.map((tool) => ({ name: String(tool.function?.name), description: String(tool.function?.description ?? ''), parameters: tool.function?.parameters ?? {} })),
    // Ollama has no tool_choice: the tools offered are the choice.
    toolChoice: 'auto',
    toolCalls,
    toolResults: messages
      .filter((message) => message.role === 'tool')
      .map((message) => ({
        id: undefined,
        name: typeof message.tool_name === 'string' ? message.tool_name : undefined,
        content: String(message.content ?? ''),
        isError: false,
      })),
  };
}

function safeShape(text: string, kind: 'malformed-json' | 'missing-fields', schema: Record<string, unknown> | undefined): string {
  try {
    return shapeJsonReply(text, kind, schema);
  } catch {
    return text;
  }
}

function modelEntry(name: string): Record<string, unknown> {
  return {
    name, model: name, modified_at: '2025-01-01T00:00:00Z', size: 2019393189, digest: 'fake',
    details: { format: 'gguf', family: 'llama', parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}
