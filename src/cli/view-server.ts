import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isSopError } from '../errors/index.js';
import type { Redactor } from '../providers/redact.js';
import { renderRunsPage, withLiveReload } from '../reporting/html/index.js';
import { ambiguousIdError, JOURNAL_FILE, listRuns, matchIdPrefix } from '../store/index.js';
import { buildRunHtmlReport } from './html-report.js';

export interface ViewServerOptions {
  runsDir: string;
  host: string;
  /** 0: any free port. */
  port: number;
  redact: Redactor;
  /** How often a live page's source is checked for news (default 500 ms). */
  pollMs?: number;
}

export interface ViewServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `sop view`: the runs folder over HTTP. `/` lists the runs, `/runs/ID/` is a run's report built
 * from its journal at each request, and `/events` (`?run=ID`) is a server-sent event stream that
 * says `change` when the list (a run started or ended) or the run's journal (a run in progress
 * wrote) changed; the pages reload on it. Read-only; bound to 127.0.0.1 unless told otherwise.
 */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const pollMs = options.pollMs ?? 500;
  // Served on this machine only, a request naming another host is a web page of another site that
  // had its name resolve to 127.0.0.1 (DNS rebinding) to read the prompts and answers: refused.
  const loopback = isLoopbackName(options.host);
  const streams = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain', `${options.redact((error as Error).message)}\n`);
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET') return send(response, 405, 'text/plain', 'only GET\n');
    if (loopback && !isLoopbackName(hostName(request.headers.host))) {
      return send(response, 403, 'text/plain', `sop view on ${options.host} answers requests to this machine's own names only (localhost, 127.0.0.1), not to ${JSON.stringify(request.headers.host ?? '')}\n`);
    }
    // Browsers ask for it unbidden; a 404 would be an error in the page's console.
    if (url.pathname === '/favicon.ico') return send(response, 204, 'image/x-icon', '');
    if (url.pathname === '/') {
      // Taken before the page is built: a change while it is built or before its stream opens is still news.
      const since = folderVersion(options.runsDir);
      const runs = await listRuns(options.runsDir);
      const rows = runs.map((run) => ({ id: run.runId, sop: run.sop, status: run.status, started: run.started, rounds: run.rounds, exitCode: run.exitCode, href: `runs/${encodeURIComponent(path.basename(run.runDir))}/` }));
      return send(response, 200, 'text/html; charset=utf-8', renderRunsPage(rows, options.runsDir, `/events?since=${since}`));
    }
    const page = /^\/runs\/([^/]+)\/$/.exec(url.pathname);
    if (page) {
      const name = decodeURIComponent(page[1] as string);
      const runDir = runFolder(name);
      if (!runDir) return sendPrefixed(response, name);
      const since = fileVersion(path.join(runDir, JOURNAL_FILE));
      try {
        const built = await buildRunHtmlReport(runDir, { redact: options.redact });
        // Served among the others, the page leads back to the list (a report.html opened alone has no list).
        const html = built.html.replace('<nav>', '<nav><a href="../../" id="all-runs">&larr; All runs</a>');
        return send(response, 200, 'text/html; charset=utf-8', withLiveReload(html, `/events?run=${encodeURIComponent(path.basename(runDir))}&since=${since}`));
      } catch (error) {
        if (isSopError(error)) return send(response, 404, 'text/plain', `${options.redact(error.message)}\n`);
        throw error;
      }
    }
    if (url.pathname === '/events') {
      const run = url.searchParams.get('run');
      const runDir = run === null ? undefined : runFolder(run);
      if (run !== null && !runDir) return send(response, 404, 'text/plain', 'no such run\n');
      return stream(request, response, runDir ? () => fileVersion(path.join(runDir, JOURNAL_FILE)) : () => folderVersion(options.runsDir), url.searchParams.get('since'));
    }
    return send(response, 404, 'text/plain', 'not found\n');
  }

  /** `/runs/PREFIX/`: a run id's beginning, as `sop report` takes one, leads to the one run it names. */
  function sendPrefixed(response: ServerResponse, given: string): void {
    const match = matchIdPrefix(options.runsDir, given);
    if (match.kind === 'one') {
      response.writeHead(302, { location: `/runs/${encodeURIComponent(match.name)}/`, 'cache-control': 'no-store' });
      return void response.end();
    }
    if (match.kind === 'several') return send(response, 404, 'text/plain', `${ambiguousIdError('run', given, match.names, options.runsDir, '').message}\n`);
    send(response, 404, 'text/plain', 'no such run\n');
  }

  /** A run folder directly inside the runs folder (no other path can be named). */
  function runFolder(name: string): string | undefined {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\')) return undefined;
    const dir = path.join(options.runsDir, name);
    try {
      return statSync(dir).isDirectory() ? dir : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Sends `change` each time `version()` differs from the version the page was built from
   * (`since`; else what it was when the stream opened): at once when it changed before the stream opened.
   */
  function stream(request: IncomingMessage, response: ServerResponse, version: () => string, since: string | null): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write('retry: 1000\n\n');
    streams.add(response);
    let seen = since ?? version();
    const check = (): void => {
      const now = version();
      if (now === seen) return;
      seen = now;
      response.write(`event: change\ndata: ${JSON.stringify({ version: now })}\n\n`);
    };
    check();
    const timer = setInterval(check, pollMs);
    request.on('close', () => {
      clearInterval(timer);
      streams.delete(response);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () => new Promise<void>((resolve) => {
      for (const response of streams) response.end();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

/** Size and modification time: what changes when a run appends to its journal. */
function fileVersion(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}-${Math.round(stat.mtimeMs * 1000)}`;
  } catch {
    return 'none';
  }
}

/** The run folders and their journals' sizes (a run started, wrote or ended), hashed: it travels in page URLs. */
function folderVersion(dir: string): string {
  let listing: string;
  try {
    listing = readdirSync(dir).sort().map((name) => `${name}=${fileVersion(path.join(dir, name, JOURNAL_FILE))}`).join(',');
  } catch {
    return 'none';
  }
  return createHash('sha256').update(listing).digest('base64url').slice(0, 22);
}

/** The host name of a `Host` header (`localhost:4700`, `[::1]:4700`), lower-cased, without its port. */
function hostName(header: string | undefined): string {
  const host = (header ?? '').trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\]/.exec(host);
  return bracketed ? (bracketed[1] as string) : host.replace(/:\d*$/, '');
}

/** Whether a host name is this machine's own (loopback): `localhost`, `*.localhost`, `127.x.x.x`, `::1`. */
function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name) || name === '::1' || name === '[::1]';
}
