import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serviceProgram } from './programs.js';

/** `redis-server` from Debian: skipped visibly when missing, a failure under SOP_REQUIRE_SERVICES=1. */
export const redisProgram = serviceProgram(['redis-server'], 'redis-server');

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Its data folder (append-only file and snapshots), removed by `close()`. */
  dataDir: string;
  /** Stops the server (SIGTERM, it saves) and starts it again on the same port and data folder. */
  restart(): Promise<void>;
  /** `restart()` in two steps, for a test that acts while Redis is away: stops it (SIGTERM, it saves)... */
  stop(): Promise<void>;
  /** ...and starts it again on the same port and data folder. */
  start(): Promise<void>;
  /** Stops the server and removes its data folder. */
  close(): Promise<void>;
}

/**
 * A real `redis-server` on a free loopback port with its own temporary data folder, append-only
 * (`appendfsync always`: a restart loses nothing acknowledged). Call `close()` in `afterAll`.
 */
export async function startRedis(): Promise<RedisServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sop-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'];
    const started = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child = started;
    await waitForPort(port, () => started.exitCode !== null, () => `redis-server exited (${started.exitCode}): ${stderr}`);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dataDir,
    restart: async () => {
      await stop();
      await launch();
    },
    stop,
    start: launch,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits (generously: a loaded machine) until the port accepts a PING answered with PONG. */
async function waitForPort(port: number, exited: () => boolean, why: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(why());
    if (await pings(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer on port ${port} within 30 s`);
}

function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.once('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
  });
}
