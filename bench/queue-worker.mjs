// One `sop worker` for bench/queue.mjs: the queue's worker loop (startWorker) running runSop with
// the bench's in-process model answering after a fixed latency (no network: the queue's own cost).
//   node bench/queue-worker.mjs DIST REDIS_URL CONCURRENCY LATENCY_MS DATA_DIR
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { latencyModel } from './lib/models.mjs';

const [dist, url, concurrency, latency, dataDir] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
const [{ startWorker, readRedisUrl }, { loadResolvedSop, runSop }] = await Promise.all([load('queue/index.js'), load('index.js')]);
const model = latencyModel(Number(latency));
// As `sop worker` does: a bundle's folder never changes, so its SOP is loaded once.
const loaded = new Map();
const worker = await startWorker({
  address: readRedisUrl(url),
  queue: 'bench',
  concurrency: Number(concurrency),
  dataDir,
  run: async (queued) => {
    if (!loaded.has(queued.sopFile)) loaded.set(queued.sopFile, loadResolvedSop(queued.sopFile));
    const { sop } = await loaded.get(queued.sopFile);
    return runSop(sop, {
      inputs: queued.job.inputs, runId: queued.job.runId, cwd: dataDir, runsDir: queued.runsDir, workspace: queued.workspace,
      journalReplica: queued.replica, model, modelName: 'bench', signal: queued.signal, onEvent: queued.onEvent,
      ...(queued.resume ? { resume: queued.resume } : {}),
    });
  },
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
