import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { binPath, removeTempDirs, tempDir } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../support/fake-llm/openai-server.js';
import { startRedis, type RedisServer } from '../support/services/redis-server.js';
import { TEST_KEY } from './providers-helpers.js';

/** A JSON team: three roles, each answering JSON against a schema and writing it as an artifact; the idea is in every prompt. */
export const JSON_TEAM_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: json-team, version: 1.0.0 }
settings: { max_concurrency: 1, n_round: 6 }
messages:
  Idea: {}
  Plan:
    schema:
      type: object
      required: [title, steps]
      properties:
        title: { type: string }
        steps: { type: array, items: { type: string } }
  Review:
    schema:
      type: object
      required: [verdict]
      properties: { verdict: { type: string } }
  Summary:
    schema:
      type: object
      required: [summary]
      properties: { summary: { type: string } }
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
        prompt: "Plan {{ inputs.idea }}: {{ message.content }}"
        output: { type: Plan, format: json }
        artifacts: [{ path: plan.json }]
  reviewer:
    profile: Reviewer
    watch: [Plan]
    actions:
      - id: review
        prompt: "Review the plan for {{ inputs.idea }}: {{ message.content }}"
        output: { type: Review, format: json }
        artifacts: [{ path: review.json }]
  lead:
    profile: Lead
    watch: [Review]
    actions:
      - id: summarize
        prompt: "Summarize {{ inputs.idea }}: {{ message.content }}"
        output: { type: Summary, format: json }
        artifacts: [{ path: summary.json }]
`;

/** Model calls per run of JSON_TEAM_SOP. */
export const JSON_TEAM_CALLS = 3;

export const MODEL = ['--model', 'openai:gpt-4o-mini'];

/** A `bin/sop.js` child process whose output is kept as it comes. */
export interface Spawned {
  child: ChildProcess;
  /** stdout and stderr as they came. */
  output(): string;
  /** stdout alone (a `--json` envelope). */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `bin/sop.js` in `cwd` with its own HOME, no CI prompts, and the fake OpenAI server's key and address (`extraEnv`: more variables). */
export function spawnSop(cwd: string, args: string[], baseUrl: string, extraEnv: Record<string, string> = {}): Spawned {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), CI: 'true' };
  for (const name of ['VITEST', 'VITEST_WORKER_ID', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SOP_MODEL', 'SOP_PROVIDER', 'SOP_CACHE_DIR', 'SOP_NO_CACHE', 'SOP_REDIS_URL', 'SOP_QUEUE_KEY']) delete env[name];
  Object.assign(env, { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: baseUrl }, extraEnv);
  const child = spawn(process.execPath, [binPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, stdout: () => stdout, exited };
}

/** What a queue e2e file runs against: a real redis-server, the fake OpenAI server and a temp project folder. */
interface QueueServices {
  redis: RedisServer;
  server: FakeOpenAI;
  project: string;
}

/**
 * The services of one test file and the `sop` processes it starts: `start` (in its beforeAll)
 * starts them; after its tests every process is killed and every service ended.
 */
/** Started services with a `submitter` folder holding `team.yaml` (JSON_TEAM_SOP), and a client to look into Redis with (closed after the file's tests). */
interface SubmitterServices extends QueueServices {
  cwd: string;
  look: Redis;
}

export function queueTestServices(): {
  start(prefix: string, fake: FakeOpenAIOptions): Promise<QueueServices>;
  startSubmitter(prefix: string, fake: FakeOpenAIOptions): Promise<SubmitterServices>;
  sopIn(cwd: string, args: string[], env?: Record<string, string>): Spawned;
} {
  const services: Partial<QueueServices> = {};
  const spawned: Spawned[] = [];
  let look: Redis | undefined;
  afterAll(async () => {
    look?.disconnect();
    for (const child of spawned) child.child.kill('SIGKILL');
    await services.server?.close();
    await services.redis?.close();
    removeTempDirs();
  });
  const start = async (prefix: string, fake: FakeOpenAIOptions): Promise<QueueServices> => {
    services.redis = await startRedis();
    services.server = await startFakeOpenAI(fake);
    services.project = tempDir(prefix);
    return services as QueueServices;
  };
  return {
    start,
    startSubmitter: async (prefix, fake) => {
      const started = await start(prefix, fake);
      const cwd = path.join(started.project, 'submitter');
      mkdirSync(cwd);
      writeFileSync(path.join(cwd, 'team.yaml'), JSON_TEAM_SOP);
      look = new Redis(started.redis.url);
      return { ...started, cwd, look };
    },
    sopIn: (cwd, args, env) => {
      const child = spawnSop(cwd, args, (services.server as FakeOpenAI).url, env);
      spawned.push(child);
      return child;
    },
  };
}

/** A loopback port free a moment ago (for `--metrics-port`). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Waits for a condition, checking every 50 ms, generously (a loaded 2-core machine). */
export async function until(condition: () => boolean | Promise<boolean>, describe: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Run ids a worker's log says it started (or took over) and has not finished. */
export function runningOn(log: string): string[] {
  const started = [...log.matchAll(/^run (\S+): (?:started|taken over)/gm)].map((match) => match[1] as string);
  const ended = new Set([...log.matchAll(/^run (\S+): (?:completed|failed|stalled|stopped|\w+ \(exit)/gm)].map((match) => match[1] as string));
  return started.filter((id) => !ended.has(id));
}
