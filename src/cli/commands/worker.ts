import os from 'node:os';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { isSopError, plural, SopError } from '../../errors/index.js';
import { typedAs } from '../../runtime/resume-target.js';
import type { RunStatus } from '../../runtime/status.js';
import { workerSummary, type WorkerResult } from '../worker-summary.js';
import { SopCommand } from '../base-command.js';
import { metricsHostFlag, metricsPortFlag } from '../run-flags.js';

export type { WorkerResult } from '../worker-summary.js';

export default class Worker extends SopCommand<WorkerResult> {
  static override summary = 'Run queued SOP runs from Redis (BullMQ), until SIGTERM or Ctrl-C.';
  static override description = [
    'Takes runs submitted with `sop run FILE --queue URL` and runs them with the same interpreter as `sop run`, `--concurrency` at a time. Keys, endpoints and the response cache come from this worker\'s configuration and environment (`sop config`); the model choice comes with the run.',
    'A run\'s journal and workspace files live in Redis: when a worker dies (kill -9, a lost machine), another takes its run over after --lock-ms and continues from its last round, asking no answered call again.',
    'Secret inputs of a run (`api_key`, `*_token`) arrive sealed with SOP_QUEUE_KEY: give this worker the same SOP_QUEUE_KEY as the submitters (32 bytes, hex or base64: `openssl rand -base64 32`), or such runs fail with QUEUE_KEY_MISMATCH.',
    'SIGTERM or Ctrl-C drains: the worker stops taking runs; running ones start nothing new, let their model calls and commands in flight finish (answers saved, so the worker that continues a run does not ask them again; commands are not journaled: the round they were in runs again from its start, its commands included), and go back to the queue for another worker at that point; then it exits 0. Calls and commands still in flight after --drain-timeout seconds are cut off (run again by the next worker), and it exits 0 all the same. A second signal quits at once (exit 130): its runs are taken over after --lock-ms. See docs/queue.md.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> worker --redis redis://127.0.0.1:6379',
    // oclif adds `$ ` only to an example that starts with the command itself.
    '$ OPENAI_API_KEY=... <%= config.bin %> worker --redis redis://:PASSWORD@redis:6379 --queue support --concurrency 4',
  ];
  static override flags = {
    redis: Flags.string({ description: 'Redis URL: redis://[user:password@]host:port[/db] (credentials are masked everywhere). Also SOP_REDIS_URL.', env: 'SOP_REDIS_URL', required: true }),
    queue: Flags.string({ description: 'Queue name (several queues share one Redis).', default: 'sop' }),
    concurrency: Flags.integer({ description: 'Runs at a time in this worker.', default: 1, min: 1, max: 1000 }),
    'data-dir': Flags.string({ description: 'Folder for SOP bundles and the runs in progress (default: a folder in the OS temp dir, removed at exit).' }),
    'outputs-dir': Flags.string({ description: 'Folder for workspace files larger than 1 MB (Redis keeps where they are); a folder the submitters can read.' }),
    'drain-timeout': Flags.integer({ description: 'On SIGTERM or Ctrl-C, how long running runs may finish their model calls and commands in flight (answers saved, not asked again) before those are cut off, in seconds (0: cut off at once).', default: 30, min: 0, max: 86_400 }),
    'lock-ms': Flags.integer({ description: 'How long a run is held without a sign of life before another worker takes it over (BullMQ lock and run lock), in ms.', default: 30_000, min: 500 }),
    'endpoint-concurrency': Flags.integer({ description: 'Most model calls in flight at one endpoint across all workers of the queue (0: no shared bound).', default: 0, min: 0 }),
    'endpoint-rate': Flags.integer({ description: 'Most model calls started per second at one endpoint across all workers of the queue (0: no shared bound). A Retry-After one worker gets holds for all.', default: 0, min: 0 }),
    cache: Flags.boolean({ description: 'Answer repeated requests from this worker\'s response cache (default on).', allowNo: true, default: true }),
    // Observability (README: Traces, metrics and logs): the runs' metrics and the queue's (docs/queue.md)
    'metrics-port': metricsPortFlag(),
    'metrics-host': metricsHostFlag(),
  };

  async run(): Promise<WorkerResult> {
    const { flags } = await this.parse(Worker);
    // Taken first: a stop while the worker still waits for Redis at start-up ends it as one after does (exit 0), not by the signal.
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    const { readRedisUrl, readQueueKey, startWorker, onWorker, QUEUE_NAME_PATTERN, quietRedisAuthWarnings, redisAuthNote } = await import('../../queue/index.js');
    const address = readRedisUrl(flags.redis);
    // Opens the secret inputs the submitters sealed with the same key; a malformed one is refused now, not at a run.
    const queueKey = readQueueKey(process.env);
    this.redact = await (await import('../queued-runs.js')).maskingAlso(address, this.redact);
    if (!QUEUE_NAME_PATTERN.test(flags.queue)) throw queueNameError(flags.queue, this.sopCommand);
    // The worker's configuration chooses the provider of a run's bare model names: a misspelt
    // SOP_PROVIDER (or a broken configuration file) is refused now, not by each run it takes.
    await (await import('../model-choice.js')).loadRunConfig({ cache: flags.cache }, process.cwd(), process.env);
    const { rmSync } = await import('node:fs');
    const { checkFolderWritable, ensureFolder, makeTemporaryFolder } = await import('../../files/index.js');
    // A data folder that cannot be made (read-only, full) is a storage error (exit 14) naming --data-dir.
    const given = flags['data-dir'] ? path.resolve(flags['data-dir']) : undefined;
    let dataDir: string;
    try {
      dataDir = given ?? makeTemporaryFolder('sop-worker');
      if (given) ensureFolder(given);
    } catch (error) {
      throw isSopError(error) ? onWorker(error, { dataDir: given ?? os.tmpdir() }) : error;
    }
    // Checked now, not when a run's first large file is stored there, after its model calls were paid for.
    const outputsDir = flags['outputs-dir'] ? path.resolve(flags['outputs-dir']) : undefined;
    if (outputsDir) {
      try {
        checkFolderWritable(outputsDir);
      } catch (error) {
        throw isSopError(error)
          ? onWorker(error, { dataDir, outputsDir })
          : new SopError('USAGE', `--outputs-dir ${outputsDir}: ${(error as Error).message}`, { hint: 'give --outputs-dir a folder the worker can create files in' });
      }
    }
    const { runQueuedJob } = await import('../queue-job-runner.js');
    const counts: WorkerResult = { completed: 0, failed: 0, handedBack: 0, runs: {} };
    const setup = { cwd: process.cwd(), env: process.env, cache: flags.cache, secrets: address.secrets };
    // OTEL_* variables and --metrics-port: each run's metrics and spans, and the queue's (jobs, durations, depth).
    const { startCommandTelemetry } = await import('../command-telemetry.js');
    const { telemetry } = await startCommandTelemetry(flags, { warning: (text) => this.warning(text), note: (text) => this.note(text), redact: this.redact });
    let depth: () => Promise<Record<string, number>> = async () => ({});
    const metrics = telemetry?.queue(flags.queue, () => depth());
    const startedAt = new Map<string, number>();
    const since = (jobId: string): number | undefined => {
      const started = startedAt.get(jobId);
      startedAt.delete(jobId);
      return started === undefined ? undefined : performance.now() - started;
    };
    quietRedisAuthWarnings();
    const starting = startWorker({
      address,
      queue: flags.queue,
      concurrency: flags.concurrency,
      dataDir,
      ...(outputsDir ? { outputsDir } : {}),
      lockMs: flags['lock-ms'],
      queueKey,
      endpointLimits: { concurrency: flags['endpoint-concurrency'], ratePerSecond: flags['endpoint-rate'] },
      run: (queued) => {
        if (!telemetry) return runQueuedJob(queued, setup);
        const listener = telemetry.run();
        return runQueuedJob({ ...queued, onEvent: (event) => (listener.onEvent(event), queued.onEvent(event)) }, setup);
      },
      onEvent: (event) => {
        switch (event.type) {
          case 'job-started':
            startedAt.set(event.jobId, performance.now());
            metrics?.jobStarted(event.resumed);
            this.note(`run ${event.runId}: ${event.resumed ? 'taken over, continuing from its journal' : 'started'}`);
            break;
          case 'job-completed':
            counts.completed += 1;
            counts.runs[event.status as RunStatus] = (counts.runs[event.status as RunStatus] ?? 0) + 1;
            metrics?.jobEnded('completed', since(event.jobId) ?? event.durationMs, { status: event.status });
            this.note(`run ${event.runId}: ${event.status} (exit ${event.exitCode}) in ${event.durationMs} ms`);
            // This machine's storage failed the run: said here too, where it is fixed.
            if (event.storageError) {
              const { code, message, hint } = event.storageError;
              this.note(this.redact(`  ${code}: ${message}${hint ? `\n  hint: ${typedAs(hint, this.sopCommand)}` : ''}`));
            }
            break;
          case 'job-failed':
            counts.failed += 1;
            metrics?.jobEnded('failed', since(event.jobId), { errorType: event.error.code });
            // A job refused because another worker runs its run (BullMQ handed it on): no failure of the run.
            this.note(this.redact(`job ${event.jobId} ${event.error.code === 'RUN_LOCKED' ? 'not run' : 'failed'}: ${event.error.code}: ${event.error.message}${event.error.hint ? `\n  hint: ${typedAs(event.error.hint, this.sopCommand)}` : ''}`));
            break;
          case 'job-handed-back':
            counts.handedBack += 1;
            metrics?.jobEnded('handed_back', since(event.jobId));
            this.note(`run ${event.runId}: stopped, back in the queue for another worker`);
            break;
          case 'worker-error':
            this.note(this.redact(`warning: ${event.message}`));
            break;
          case 'redis-lost':
            this.note(this.redact(`warning: lost Redis at ${address.shown} (${event.message}); reconnecting, runs in progress wait`));
            break;
          case 'redis-back':
            this.note(`Redis at ${address.shown} is back`);
            break;
        }
      },
    });
    // Stopped before it was ready, it has taken no run: nothing to hand back (the exit ends its connections).
    const worker = await Promise.race([starting, stopped.then(() => undefined)]);
    if (worker) {
      depth = () => worker.depth();
      // ioredis's own warning of unused credentials (one per connection) is kept from the terminal: said once, as sop.
      const authNote = redisAuthNote(address);
      if (authNote !== undefined) this.warning(authNote);
      this.note(`worker ready: queue ${flags.queue} on ${address.shown}, ${flags.concurrency} at a time`);
      await stopped;
    } else {
      void starting.then((late) => late.close(), () => undefined); // ready during the stop after all: it takes nothing
    }
    // Stopping waits for Redis (runs are handed back there): a second signal quits at once, as kill -9 would, losing nothing.
    const quitNow = (await stopped) === 'SIGINT' ? 'Ctrl-C again to quit now' : 'a second signal quits now';
    const quit = (): void => {
      this.note(`quitting now: runs not yet handed back are taken over by another worker once their lock expires (--lock-ms ${flags['lock-ms']})`);
      process.exit(130);
    };
    process.once('SIGINT', quit).once('SIGTERM', quit);
    const drainSeconds = flags['drain-timeout'];
    const finishing = drainSeconds > 0 ? `finish their model calls and commands in flight (up to ${drainSeconds} s, --drain-timeout)` : 'cut off their model calls and commands';
    this.note(`stopping: no new runs; running ones ${finishing} and go back to the queue (${quitNow})`);
    await worker?.close({
      drainMs: drainSeconds * 1000,
      onCutOff: (running) => this.note(`drain timeout (${drainSeconds} s): cutting off the model calls and commands still in flight of ${plural(running, 'run')}; the worker that continues ${running === 1 ? 'it' : 'them'} runs those again`),
    });
    await telemetry?.shutdown();
    if (!flags['data-dir']) rmSync(dataDir, { recursive: true, force: true });
    this.note(workerSummary(counts));
    return counts;
  }
}

/**
 * A `--queue` that is no queue name. On `sop worker` it is the name (`sop run`'s `--queue-name`),
 * where `sop run`, `sop runs` and `sop resume` take the Redis address as `--queue`: an address
 * here is said to be one (the hint types `sop` as `sopCommand`).
 */
function queueNameError(value: string, sopCommand: string): SopError {
  if (value.includes('://')) {
    return new SopError('USAGE', `--queue ${value}: on sop worker, --queue is the queue's name (sop run's --queue-name), not the Redis address`, {
      hint: `give the address as --redis: ${sopCommand} worker --redis redis://HOST:6379 [--queue NAME]`,
    });
  }
  return new SopError('USAGE', `--queue ${value}: a queue name is letters, digits, _ and - only (1 to 64)`, { hint: 'for example --queue support (the default is sop)' });
}
