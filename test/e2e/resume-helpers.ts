import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { binPath, type CliResult } from '../cli/run-cli.js';
import type { TestContext } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { TEST_KEY } from './providers-helpers.js';
import { JOURNAL_FILE, readLines, type JournalLine } from '../../src/store/index.js';
import { readResumePoint } from '../../src/runtime/index.js';
import type { Checkpoint } from '../../src/runtime/checkpoint.js';

/** A small multi-round SOP whose rounds 2 and 3 make several calls one after the other (foreach, per message). */
export const FAN_OUT_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: fan-out, version: 1.0.0 }
settings: { max_concurrency: 1, n_round: 10 }
messages:
  Idea: {}
  Plan:
    schema:
      type: object
      required: [files]
      properties:
        files: { type: array, items: { type: string }, default: [alpha, beta, gamma, delta] }
  Written: {}
  Reviewed: {}
  Summary: {}
start:
  - type: Idea
    content: "{{ inputs.idea }}"
stop_when:
  - type: Summary
roles:
  planner:
    profile: Planner
    watch: [Idea]
    actions:
      - id: plan
        prompt: "Plan the files of {{ message.content }}"
        output: { type: Plan, format: json }
  writer:
    profile: Writer
    watch: [Plan]
    actions:
      - id: write_file
        foreach: { items: message.payload.files, concurrency: 1 }
        prompt: "Write the module {{ item }} for {{ inputs.idea }}"
        output: { type: Written, format: code, language: python }
        artifacts:
          - path: "src/{{ item }}.py"
  reviewer:
    profile: Reviewer
    watch: [Written]
    actions:
      - id: review
        prompt: "Review {{ message.payload.item }}: {{ message.content }}"
        output: { type: Reviewed, format: markdown }
        artifacts:
          - path: "reviews/{{ message.payload.item }}.md"
  lead:
    profile: Lead
    watch: [Reviewed]
    actions:
      - id: summarize
        when: { type: Reviewed, batch: true }
        prompt: "Summarize {{ messages | size }} reviews"
        output: { type: Summary, format: markdown }
        artifacts:
          - path: SUMMARY.md
`;

/** Calls: 1 plan (round 1), 4 write_file (round 2), 4 review (round 3), 1 summarize (round 4). */
export const FAN_OUT_CALLS = 10;

export function writeSop(cwd: string, text = FAN_OUT_SOP): string {
  const file = path.join(cwd, 'fan-out.yaml');
  writeFileSync(file, text);
  return file;
}

const CLEARED = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'OLLAMA_HOST', 'SOP_MODEL', 'SOP_PROVIDER', 'SOP_CACHE_DIR', 'SOP_NO_CACHE'];

export interface Started {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** What the CLI has written to stderr so far. */
  stderr(): string;
}

/** Starts `bin/sop.js` in `cwd` (clean provider environment, the fake server's key and address, then `extraEnv`). */
export function start(cwd: string, args: string[], baseUrl: string, extraEnv: Record<string, string> = {}): Started {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), CI: 'true' };
  for (const name of [...CLEARED, 'VITEST', 'VITEST_WORKER_ID']) delete env[name];
  Object.assign(env, { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: baseUrl }, extraEnv);
  const child = spawn(process.execPath, [binPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr }));
  });
  return { child, done, stderr: () => stderr };
}

/** The only run folder under `<cwd>/.sop/runs`, once it exists. */
export function runDirOf(cwd: string): string | undefined {
  const runs = path.join(cwd, '.sop', 'runs');
  if (!existsSync(runs)) return undefined;
  // Run folders only: a live or killed run's workspace lock (`.workspace-*.lock`) is beside them.
  const [id] = readdirSync(runs).filter((name) => !name.startsWith('.'));
  return id === undefined ? undefined : path.join(runs, id);
}

/** Completed calls in a run's journal (`call-answered` lines). */
export function journalLines(runDir: string | undefined): number {
  if (!runDir) return 0;
  return (readLines(path.join(runDir, JOURNAL_FILE))?.records ?? []).filter(({ record }) => record.type === 'call-answered').length;
}

/** Every line of a run's journal, in order (a torn last line left out). */
export function journalRecords(runDir: string): JournalLine[] {
  return (readLines(path.join(runDir, JOURNAL_FILE))?.records ?? []).map(({ record }) => record);
}

/** A run's state at its resume point (the last snapshot with the round-commits after it replayed). */
export function resumeStateOf(runDir: string): Checkpoint {
  return readResumePoint(runDir).checkpoint;
}

/**
 * Polls until `condition` holds (every 2 ms), or fails after `timeoutMs` saying what `state` shows.
 * Generous: five CLIs starting at once beside other test workers on 2 cores take seconds each.
 */
export async function waitFor(condition: () => boolean, state: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting: ${state()}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export interface SlowProxy {
  url: string;
  /** Request bodies whose response was sent back to the client, in order. */
  answered: string[];
  /**
   * Distinct requests past this many are held unanswered (until the client gives up), so a stop lands
   * between two known calls; a request sent again (a retry) is not a new one.
   */
  answerAtMost: number;
  close(): Promise<void>;
}

/** Forwards to `target` (the fake server's `/v1` url) after `delayMs`, so a test can stop the CLI between calls. */
export async function startSlowProxy(target: string, delayMs: number): Promise<SlowProxy> {
  const upstream = new URL(target);
  const answered: string[] = [];
  const forwarded = new Set<string>();
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      if (!forwarded.has(text) && forwarded.size >= proxy.answerAtMost) return;
      forwarded.add(text);
      setTimeout(() => forward(upstream, incoming, body, outgoing, () => answered.push(text)), delayMs);
    });
  });
  const proxy: SlowProxy = { ...(await listen(server, upstream)), answered, answerAtMost: Number.POSITIVE_INFINITY };
  return proxy;
}

export interface GateProxy {
  url: string;
  /** Request bodies whose reply has been sent back to the client, in order. */
  answered: string[];
  /** Requests waiting at the closed gate. */
  held(): number;
  /** Lets every held request and all later ones through. */
  open(): void;
  close(): Promise<void>;
}

/** A fake OpenAI server for one test, closed when it ends. */
export async function fakeFor(context: TestContext): Promise<FakeOpenAI> {
  const server = await startFakeOpenAI();
  context.onTestFinished(() => server.close());
  return server;
}

/** A gate proxy in front of `server` for one test, closed when it ends. */
export async function gateFor(context: TestContext, server: FakeOpenAI): Promise<GateProxy> {
  const proxy = await startGateProxy(server.url);
  context.onTestFinished(() => proxy.close());
  return proxy;
}

/** Forwards to `target` (the fake server's `/v1` url) once opened: until then every request waits, unanswered. */
export async function startGateProxy(target: string): Promise<GateProxy> {
  const upstream = new URL(target);
  let waiting: Array<() => void> | undefined = [];
  const answered: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const send = (): void => forward(upstream, incoming, body, outgoing, () => answered.push(body.toString('utf8')));
      if (waiting) waiting.push(send);
      else send();
    });
  });
  return {
    ...(await listen(server, upstream)),
    answered,
    held: () => waiting?.length ?? 0,
    open: () => {
      const released = waiting ?? [];
      waiting = undefined;
      for (const send of released) send();
    },
  };
}

/** Sends one request on to the upstream server and its whole reply back; `onSent` once the reply has left. */
function forward(upstream: URL, incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse, onSent: () => void): void {
  const request = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
    (reply) => {
      const parts: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => parts.push(chunk));
      reply.on('end', () => {
        if (outgoing.destroyed) return;
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        outgoing.end(Buffer.concat(parts), onSent);
      });
    },
  );
  request.on('error', () => outgoing.destroy());
  request.end(body);
}

/** Listens on a loopback port; the url keeps the upstream's path (`/v1`). */
async function listen(server: Server, upstream: URL): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
