import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `sop view --port 0` on an empty runs folder and waits for the URL it prints. */
async function startView(): Promise<URL> {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' };
  delete env['VITEST'];
  delete env['VITEST_WORKER_ID'];
  const child = spawn(process.execPath, [binPath, 'view', '--port', '0'], { cwd: tempDir('sop-view-host-'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  return new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL: ${stderr}`)), 30_000);
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1] as string));
      }
    });
  });
}

/** A GET as a browser sends it, with the Host header of the name the page was loaded from. */
function get(url: URL, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ hostname: url.hostname, port: url.port, path: '/', headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('sop view on 127.0.0.1', () => {
  it("answers this machine's names, and refuses a page of another site whose name was made to resolve here", async () => {
    const url = await startView();
    expect((await get(url, url.host)).status).toBe(200);
    expect((await get(url, `localhost:${url.port}`)).status).toBe(200);
    const rebound = await get(url, `evil.example:${url.port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toBe(`sop view on 127.0.0.1 answers requests to this machine's own names only (localhost, 127.0.0.1), not to "evil.example:${url.port}"\n`);
  });
});
