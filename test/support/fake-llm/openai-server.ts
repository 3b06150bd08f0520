import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Fault, FaultPlan } from './faults.js';
import { noFaults } from './faults.js';
import { cutAtMaxTokens } from './max-tokens.js';
import { answerLikeOffline, parsedArguments, shapeJsonReply, type WireRequest } from './offline-answer.js';
import { speakAnswer, splitInto, type AnswerFunction, type SpokenToolCall } from './scripted-answer.js';

/** The only key the fake server accepts (unless started with `requireKey: false`). */
export const FAKE_OPENAI_KEY = 'sk-test-SECRET-123456';

/** The model name that always answers 404 with OpenAI's `model_not_found` body. */
export const MISSING_OPENAI_MODEL = 'missing-model';

/** Models listed by GET /v1/models. */
export const FAKE_OPENAI_MODELS = ['gpt-4o-mini', 'fake-model'];

export interface FakeOpenAIOptions {
  /** Decides a fault per request, by its index among all requests received (0-based). */
  faults?: FaultPlan;
  /** Reply text or tool calls for a chat request; default: what the offline model would answer. */
  answer?: AnswerFunction;
  /** Default true: any Authorization other than `Bearer sk-test-SECRET-123456` gets 401. False: any or none is fine. */
  requireKey?: boolean;
  /** Requests served before the server answers 503 to everything (guards runaway retries). Default 200. */
  maxRequests?: number;
  /** Each chat completion is answered after this many ms, like a model thinking (queue tests and benches). Default 0. */
  latencyMs?: number;
  /**
   * Asked before a chat completion is answered: the answer waits for the promise it returns (a test
   * keeps a call in flight while it acts, then resolves it). Read at each request: a test may set it
   * on the options the server was started with.
   */
  hold?: (index: number) => Promise<void> | undefined;
  /** Body fields refused with a 400 in Azure's words (`Unrecognized request argument supplied: NAME`), as a server older than them does. */
  refuses?: string[];
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1` (OPENAI_BASE_URL semantics). */
  url: string;
  /** Every request received, in order (chat completions and model listings). */
  requests: Array<{ method: string; path: string; /** The query as sent (`?api-version=...`), or ''. */ search: string; body: any; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** The token count the fake server reports for a text: one per 4 characters, rounded up. */
export function fakeTokenCount(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * A loopback OpenAI-compatible server: POST /v1/chat/completions (JSON, or SSE `data: {chunk}`
 * events ending with `data: [DONE]` when `stream` is true, with a usage chunk when
 * `stream_options.include_usage`) and GET /v1/models. Errors use OpenAI's `{ error: {...} }` body.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const faults = options.faults ?? noFaults;
  const answer: AnswerFunction = options.answer ?? answerLikeOffline;
  const requireKey = options.requireKey ?? true;
  const maxRequests = options.maxRequests ?? 200;
  const requests: FakeOpenAI['requests'] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => sendError(response, 500, String(error), 'server_error'));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname: path, search } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const index = requests.length;
    requests.push({ method, path, search, body, headers: request.headers });
    if (index >= maxRequests) return sendError(response, 503, `fake server: more than ${maxRequests} requests`, 'server_error');
    const authorization = request.headers.authorization;
    if (requireKey && authorization !== `Bearer ${FAKE_OPENAI_KEY}`) {
      // Echoes the whole key it refused, as a careless server might: clients must redact it.
      const given = authorization?.replace(/^Bearer /, '') ?? '(none)';
      return sendError(response, 401, `Incorrect API key provided: ${given}.`, 'invalid_request_error', 'invalid_api_key');
    }
    const fault = faults(index);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') return sendFault(response, fault);
    if (method === 'GET' && path === '/v1/models') {
      return sendJson(response, 200, { object: 'list', data: FAKE_OPENAI_MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) });
    }
    if (method !== 'POST' || path !== '/v1/chat/completions') return sendError(response, 404, `Unknown request URL: ${method} ${path}.`, 'invalid_request_error', 'unknown_url');
    if (typeof body !== 'object' || body === null) return sendError(response, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    const refused = options.refuses?.find((field) => field in body);
    if (refused) return sendError(response, 400, `Unrecognized request argument supplied: ${refused}`, 'invalid_request_error');
    if (body.model === MISSING_OPENAI_MODEL) {
      return sendError(response, 404, `The model \`${MISSING_OPENAI_MODEL}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    }
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    await options.hold?.(index);
    const wire = toWireRequest(body);
    const spoken = speakAnswer(answer, wire);
    const limited = cutAtMaxTokens(spoken.toolCalls.length > 0 ? spoken.text : shapeReply(spoken.text, fault, wire.schema), body.max_completion_tokens ?? body.max_tokens);
    const reply = limited.text;
    const finishReason = spoken.toolCalls.length > 0 ? 'tool_calls' : limited.cut ? 'length' : 'stop';
    const calls = spoken.toolCalls.map((call, position) => ({ id: `call_${index}_${position + 1}`, ...call }));
    const usage = fault?.kind === 'no-usage' ? undefined : {
      prompt_tokens: fakeTokenCount(wire.system + wire.messages.map((message) => message.content).join('')),
      completion_tokens: fakeTokenCount(reply + calls.map((call) => call.name + call.json).join('')),
    };
    const model = String(body.model);
    const truncate = fault?.kind === 'truncate';
    if (wire.stream) return streamReply(response, model, reply, calls, finishReason, body.stream_options?.include_usage === true ? usage : undefined, truncate);
    const message = calls.length > 0
      ? { role: 'assistant', content: reply || null, refusal: null, tool_calls: calls.map(wireToolCall) }
      : { role: 'assistant', content: reply, refusal: null };
    const completion = JSON.stringify({
      id: `chatcmpl-fake-${index}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
    });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
    if (!truncate) return void response.end(completion);
    response.write(completion.slice(0, Math.floor(completion.length / 2)));
    setTimeout(() => response.destroy(), 20);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

type IdentifiedCall = SpokenToolCall & { id: string };

function wireToolCall(call: IdentifiedCall): Record<string, unknown> {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.json } };
}

/**
 * SSE: a role chunk, content chunks, tool-call fragments (per call: id and name with empty
 * arguments, then the arguments JSON in three pieces, keyed by `index`), a finish chunk, the
 * usage chunk, `[DONE]`; truncated streams stop midway.
 */
function streamReply(
  response: ServerResponse,
  model: string,
  text: string,
  calls: IdentifiedCall[],
  finishReason: string,
  usage: { prompt_tokens: number; completion_tokens: number } | undefined,
  truncate: boolean,
): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id: 'chatcmpl-fake-stream', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
  const deltas: Array<Record<string, unknown>> = [];
  if (text || calls.length === 0) for (const piece of text.match(/[\s\S]{1,24}/g) ?? ['']) deltas.push({ content: piece });
  calls.forEach((call, index) => {
    deltas.push({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] });
    for (const piece of splitInto(call.json, 3)) deltas.push({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  const event = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  event({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: calls.length > 0 ? null : '' }, finish_reason: null }] });
  const sent = truncate ? deltas.slice(0, Math.max(1, Math.floor(deltas.length / 2))) : deltas;
  for (const delta of sent) event({ ...base, choices: [{ index: 0, delta, finish_reason: null }] });
  if (truncate) {
    setTimeout(() => response.destroy(), 20);
    return;
  }
  event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishReason }] });
  if (usage) event({ ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
  response.end('data: [DONE]\n\n');
}

function toWireRequest(body: Record<string, any>): WireRequest {
  const messages: Array<Record<string, any>> = Array.isArray(body.messages) ? body.messages : [];
  const format = body.response_format as { type?: string; json_schema?: { schema?: Record<string, unknown> } } | undefined;
  const toolCalls = messages
    .filter((message) => message.role === 'assistant' && Array.isArray(message.tool_calls))
    .flatMap((message) => (message.tool_calls as any[]).map((call) => ({ id: String(call.id), name: String(call.function?.name), arguments: parsedArguments(call.function?.arguments) })));
  const tools = Array.isArray(body.tools) ? (body.tools as any[]).filter((tool) => tool?.type === 'function') : [];
  const choice: unknown = body.tool_choice;
  return {
    model: String(body.model ?? ''),
    system: messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => contentText(message.content)).join('\n\n'),
    messages: messages
      .filter((message) => message.role === 'user' || message.role === 'assistant')
      .map((message) => ({ role: message.role as 'user' | 'assistant', content: contentText(message.content) })),
    schema: format?.type === 'json_schema' ? (format.json_schema?.schema ?? { type: 'object' }) : format?.type === 'json_object' ? { type: 'object' } : undefined,
    stream: body.stream === true,
    tools: tools.map((tool) => ({ name: String(tool.function?.name), description: String(tool.function?.description ?? ''), parameters: tool.function?.parameters ?? {} })),
    toolChoice: choice === 'none' ? 'none' : choice === 'required' ? 'required' : 'auto',
    toolCalls,
    toolResults: messages
      .filter((message) => message.role === 'tool')
      .map((message) => ({
        id: String(message.tool_call_id),
        name: toolCalls.find((call) => call.id === message.tool_call_id)?.name,
        content: contentText(message.content),
        isError: false,
      })),
  };
}

/** Message content is a string or an array of `{ type: 'text', text }` parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

function shapeReply(text: string, fault: Fault | undefined, schema: Record<string, unknown> | undefined): string {
  if (fault?.kind !== 'malformed-json' && fault?.kind !== 'missing-fields') return text;
  try {
    return shapeJsonReply(text, fault.kind, schema);
  } catch {
    return text;
  }
}

function sendFault(response: ServerResponse, fault: Extract<Fault, { kind: 'status' }>): void {
  const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
  const body = fault.body ?? { error: { message: `fake fault ${fault.status}`, type: fault.status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } };
  sendJson(response, fault.status, body, headers);
}

function sendError(response: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
  sendJson(response, status, { error: { message, type, param: null, code } });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
