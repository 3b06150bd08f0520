import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * The official MCP servers (devDependencies), started from node_modules as their package's `bin`
 * says: no npx, no network.
 */
export type OfficialServer = 'server-filesystem' | 'server-memory' | 'server-everything';

const require = createRequire(import.meta.url);

/** Absolute path of the server's entry script (its package.json `bin`). */
export function officialServerScript(name: OfficialServer): string {
  const manifestPath = require.resolve(`@modelcontextprotocol/${name}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0];
  if (!bin) throw new Error(`@modelcontextprotocol/${name} has no bin`);
  return path.join(path.dirname(manifestPath), bin);
}

export interface HttpServer {
  url: string;
  child: ChildProcess;
  stop(): void;
}

/**
 * server-everything over streamable HTTP on a free loopback port (it takes the port from `PORT` and
 * serves `/mcp`); resolves once it says it listens. A port taken in between is retried with another.
 */
export async function startEverythingHttp(attempts = 3): Promise<HttpServer> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const child = spawn(process.execPath, [officialServerScript('server-everything'), 'streamableHttp'], {
      env: { PATH: process.env['PATH'] ?? '', PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const listening = await new Promise<boolean>((resolve) => {
      let said = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes(`listening on port ${port}`)) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    if (listening) return { url: `http://127.0.0.1:${port}/mcp`, child, stop: () => child.kill() };
    if (attempt >= attempts) throw new Error(`server-everything did not start on port ${port}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
