import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, sop, tempDir } from '../cli/run-cli.js';
import { chromiumProgram, launchBrowser } from '../support/browser.js';

/**
 * `sop view` serves the runs folder on 127.0.0.1; a run in progress is shown as it writes. A run
 * "in progress" is a real run's journal given back a part at a time, as the run appended it.
 */
const PIPELINE = path.join(repoRoot, 'test', 'fixtures', 'runtime', 'pipeline.yaml');
const WAIT_MS = 60_000;

let cwd: string;
let runId: string;
let journal: string[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  const source = tempDir('sop-view-source-');
  const result = await sop(['run', PIPELINE, 'a todo app', '--quiet'], { cwd: source });
  expect(result.code, result.stderr).toBe(0);
  runId = readdirSync(path.join(source, '.sop', 'runs'))[0] as string;
  const runDir = path.join(source, '.sop', 'runs', runId);
  journal = readFileSync(path.join(runDir, 'journal.jsonl'), 'utf8').split(/(?<=\n)/);
  cwd = tempDir('sop-view-');
  cpSync(runDir, path.join(cwd, '.sop', 'runs', runId), { recursive: true });
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(removeTempDirs);

/** The journal as the run had written it up to its first round's commit (no run-end yet). */
function journalInProgress(): { runJournal: string; rest: string[] } {
  const runJournal = path.join(cwd, '.sop', 'runs', runId, 'journal.jsonl');
  const cut = journal.findIndex((line) => line.includes('"type":"round-commit"')) + 1;
  expect(cut).toBeGreaterThan(0);
  writeFileSync(runJournal, journal.slice(0, cut).join(''));
  return { runJournal, rest: journal.slice(cut) };
}

/** Starts `sop view --port 0` and waits for the URL it prints. */
async function startView(): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0' };
  // Vitest sets these; a user's shell does not.
  delete env['VITEST'];
  delete env['VITEST_WORKER_ID'];
  const child = spawn(process.execPath, [binPath, 'view', '--port', '0'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL after ${WAIT_MS} ms: ${stderr}`)), WAIT_MS);
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /sop view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.on('exit', (code) => reject(new Error(`sop view exited ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}

describe('sop view', () => {
  it('lists the runs, serves each report, and tells a page when its run wrote (server-sent events); Ctrl-C stops it', { timeout: 180_000 }, async () => {
    const { runJournal, rest } = journalInProgress();
    const { child, url } = await startView();

    const list = await (await fetch(url)).text();
    expect(list).toContain(runId);
    const page = await fetch(`${url}runs/${runId}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('"format":"sop-html-report/v1"');
    expect(html).not.toContain('"end":{');
    const source = new RegExp(`new EventSource\\("(/events\\?run=${runId}&since=[^"]+)"\\)`).exec(html);
    expect(source, 'the page subscribes to its run\'s changes since the version it shows').not.toBeNull();
    expect((await fetch(`${url}runs/..%2F..%2Fetc/`)).status).toBe(404);

    // The event stream says `change` once the run writes more; here the run writes after the page
    // was built and before its stream opens (a page loading while the run moves on), which the
    // stream tells at once rather than waiting for the next write.
    appendFileSync(runJournal, rest.join(''));
    const events = await fetch(new URL((source as RegExpExecArray)[1] as string, url));
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    while (!received.includes('event: change')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    expect(received).toContain('event: change');
    await reader.cancel();
    expect(await (await fetch(`${url}runs/${runId}/`)).text()).toContain('"status":"completed"');

    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it.skipIf(chromiumProgram.missing)(`a run's page in the browser updates by itself while the run writes${chromiumProgram.skipNote}`, { timeout: 240_000 }, async () => {
    const { runJournal, rest } = journalInProgress();
    const { url } = await startView();
    const browser = await launchBrowser();
    try {
      const { page, problems } = await browser.open(`${url}runs/${runId}/`);
      // No live process holds this journal cut short (as `sop runs` tells it): killed, until the rest is written.
      await expect.poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS }).toBe('crashed');
      expect(await page.locator('#why').textContent()).toContain(`The run was killed before it ended (no process holds it): its journal has 1 round committed; sop resume ${runId} continues it.`);
      appendFileSync(runJournal, rest.join(''));
      await expect.poll(() => page.locator('#status').textContent(), { timeout: WAIT_MS }).toBe('completed');
      expect(await page.locator('.timeline .round').count()).toBe(2);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
