// Queued runs' figures for `npm run bench` (issue #15), on a real redis-server (skipped when it is
// missing): a batch of 60 runs (a 2-step chain, model latency 200 ms) on 3 worker processes against
// 1 (target ≥ 2.5× faster), and the queue's overhead per run over a local run, both at 0 ms model,
// one run at a time (target ≤ 10 ms): submit, bundle, journal and files in Redis, result back.
// Alone, the overhead only (A/B against another build, several rounds):
//   node bench/queue.mjs --overhead-only [--dist DIR] [--count N] [--rounds R]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { latencyModel } from './lib/models.mjs';
import { chainSop } from './lib/sops.mjs';

const STEPS = 2;
const LATENCY_MS = 200;

export async function queueFigures({ dist, scratch, quick, overheadOnly = false, count: overheadCount }) {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    console.log('queued runs: skipped (needs redis-server: apt-get install -y redis-server)');
    return undefined;
  }
  const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
  const [{ QueueClient, readRedisUrl }, { loadResolvedSop, runSop }] = await Promise.all([load('queue/index.js'), load('index.js')]);
  const { QueueEvents } = await import('bullmq');
  const dir = mkdtempSync(path.join(scratch, 'queue-'));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const workers = [];
  try {
    await waitFor(async () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.includes('PONG'));
    const file = path.join(dir, 'chain.yaml');
    writeFileSync(file, chainSop(STEPS));
    const { sop } = await loadResolvedSop(file);
    const client = await QueueClient.open(readRedisUrl(url), 'bench');
    const startWorkers = async (count, latency) => {
      const started = Array.from({ length: count }, (_, index) => {
        const child = spawn(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), 'queue-worker.mjs'), dist, url, '1', String(latency), path.join(dir, `worker-${latency}-${count}-${index}`)], { stdio: ['ignore', 'pipe', 'inherit'] });
        workers.push(child);
        return new Promise((resolve) => child.stdout.once('data', () => resolve(child)));
      });
      return Promise.all(started);
    };
    const stopWorkers = async (children) => Promise.all(children.map((child) => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); })));
    // Completion of many runs: one listener for the queue's completed events (closed before the
    // overhead is measured: a submitter has one event stream, its client's).
    let events;
    const batch = async (runs) => {
      const pending = new Set();
      const done = new Promise((resolve) => events.on('completed', ({ jobId }) => { pending.delete(jobId); if (pending.size === 0) resolve(); }));
      const started = performance.now();
      for (let i = 0; i < runs; i += 1) pending.add(await client.submit(sop, { inputs: { idea: `idea ${i}` }, models: {} }));
      await done;
      events.removeAllListeners('completed');
      return performance.now() - started;
    };
    const runs = quick ? 30 : 60;
    let oneWorkerMs;
    let threeWorkersMs;
    if (!overheadOnly) {
      events = new QueueEvents('bench', { connection: { url } });
      await events.waitUntilReady();
      const one = await startWorkers(1, LATENCY_MS);
      oneWorkerMs = await batch(runs);
      await stopWorkers(one);
      const three = await startWorkers(3, LATENCY_MS);
      threeWorkersMs = await batch(runs);
      await stopWorkers(three);
      await events.close();
    }

    // Overhead: one run at a time at 0 ms, queued (submit → result) against runSop in this process.
    const zero = await startWorkers(1, 0);
    const count = overheadCount ?? (quick ? 10 : 30);
    for (let i = 0; i < 3; i += 1) await client.follow(await client.submit(sop, { inputs: { idea: `warm ${i}` }, models: {} }), () => undefined);
    // Commands Redis ran per queued run (submitter and worker): what pipelining and batching save, free of the machine's load.
    const commands = () => Number(/total_commands_processed:(\d+)/.exec(spawnSync('redis-cli', ['-p', String(port), 'info', 'stats'], { encoding: 'utf8' }).stdout)?.[1]);
    const commandsBefore = commands();
    // Each run's time too: the medians' difference is steadier than the means' on a busy machine.
    const queuedEach = [];
    let started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const one = performance.now();
      await client.follow(await client.submit(sop, { inputs: { idea: `one ${i}` }, models: {} }), () => undefined);
      queuedEach.push(performance.now() - one);
    }
    const queuedMs = (performance.now() - started) / count;
    const commandsPerRun = (commands() - commandsBefore - 1) / count;
    await stopWorkers(zero);
    const model = latencyModel(0);
    const local = (i) => runSop(sop, { inputs: { idea: `local ${i}` }, cwd: dir, runsDir: path.join(dir, 'runs'), workspace: path.join(dir, 'ws', String(i)), model, modelName: 'bench' });
    for (let i = 0; i < 3; i += 1) await local(`warm-${i}`);
    const localEach = [];
    started = performance.now();
    for (let i = 0; i < count; i += 1) {
      const one = performance.now();
      await local(i);
      localEach.push(performance.now() - one);
    }
    const localMs = (performance.now() - started) / count;
    await client.close();
    return { runs, oneWorkerMs, threeWorkersMs, queuedMs, localMs, overheadMs: queuedMs - localMs, overheadMedianMs: median(queuedEach) - median(localEach), commandsPerRun };
  } finally {
    for (const child of workers) child.kill('SIGKILL');
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(condition) {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// `node bench/queue.mjs --overhead-only`: the queue's overhead per run, `--rounds` times, one line each.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { parseArgs } = await import('node:util');
  const { tmpdir } = await import('node:os');
  const { values } = parseArgs({ options: { 'overhead-only': { type: 'boolean' }, dist: { type: 'string' }, count: { type: 'string' }, rounds: { type: 'string' } } });
  const dist = path.resolve(values.dist ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'sop-bench-queue-'));
  try {
    for (let round = 0; round < Number(values.rounds ?? 1); round += 1) {
      const figures = await queueFigures({ dist, scratch, quick: true, overheadOnly: Boolean(values['overhead-only']), count: Number(values.count ?? 30) });
      if (!figures) break;
      const { readFileSync } = await import('node:fs');
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
      console.log(`${dist}: overhead ${figures.overheadMs.toFixed(1)} ms/run (queued ${figures.queuedMs.toFixed(1)}, local ${figures.localMs.toFixed(1)}; medians' difference ${figures.overheadMedianMs.toFixed(1)}), ${figures.commandsPerRun.toFixed(1)} Redis commands/run${figures.oneWorkerMs ? `, 3 workers ${(figures.oneWorkerMs / figures.threeWorkersMs).toFixed(2)}x` : ''}; load ${load}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // BullMQ's connections to the stopped redis-server would retry for ever.
  process.exit(0);
}
