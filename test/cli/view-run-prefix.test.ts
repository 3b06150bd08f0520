import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, sop, STACK_LINE } from './run-cli.js';
import { projectWithStoppedRun } from './stopped-run.js';

afterAll(removeTempDirs);

/**
 * `sop view RUN` names a run as `sop report` does (an id, its beginning, a run folder's path) and
 * prints that run's page; a beginning naming several runs is the same usage error (exit 2). The
 * server takes an id's beginning in a page's URL too (`/runs/PREFIX/` leads to the run's page).
 */
/** `sop view ARGS --port 0` until it prints its URL; `use` is given that URL while it serves, then Ctrl-C. */
function whileServing(cwd: string, args: string[], use: (url: string) => Promise<void>): Promise<{ stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [binPath, 'view', '--port', '0', ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let used: Promise<void> | undefined;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    const url = /sop view: (http:\S+)/.exec(stderr)?.[1];
    if (url !== undefined && used === undefined) used = use(url).finally(() => child.kill('SIGINT'));
  });
  return new Promise((resolve, reject) => child.on('exit', (code) => (used ?? Promise.resolve()).then(() => resolve({ stderr, code }), reject)));
}

describe('sop view RUN', () => {
  it("an id's beginning: the URL printed is that run's page, which the server serves", async () => {
    const { cwd, id } = await projectWithStoppedRun('sop-view-prefix-');
    let printed = '';
    const served = await whileServing(cwd, [id.slice(0, 15)], async (url) => {
      printed = url;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(id);
      // The server takes the beginning in a URL too: it leads to the run's page.
      const prefixed = await fetch(new URL(`/runs/${id.slice(0, 15)}/`, url));
      expect(prefixed.status).toBe(200);
      expect(prefixed.url).toBe(url);
    });
    expect(served.stderr).not.toMatch(STACK_LINE);
    expect(printed).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/runs/${id}/$`));
    expect(served.stderr).toContain('(runs in .sop/runs; Ctrl-C to stop)');
  });

  it("a run's page leads back to the list of runs, which links to the page", async () => {
    const { cwd, id } = await projectWithStoppedRun('sop-view-back-');
    const served = await whileServing(cwd, [id], async (url) => {
      const page = await (await fetch(url)).text();
      const back = /<a href="([^"]+)" id="all-runs">/.exec(page)?.[1];
      expect(back).toBeDefined();
      const list = await fetch(new URL(back as string, url));
      expect(list.status).toBe(200);
      const listed = await list.text();
      // The list is drawn by its script from the runs it embeds; each row links runs/ID/, the page we came from.
      expect(list.url).toBe(new URL('/', url).href);
      expect(listed).toContain(id);
      expect(new URL(`runs/${id}/`, list.url).href).toBe(url);
    });
    expect(served.stderr).not.toMatch(STACK_LINE);
  });

  it('a beginning of several runs: the usage error of sop report (exit 2); none: RUN_NOT_FOUND', async () => {
    const { cwd, id, runs } = await projectWithStoppedRun('sop-view-prefix-');
    const ids = ['20200101-000001-abcdef', '20200101-000002-abcdef'];
    for (const other of ids) cpSync(path.join(runs, id), path.join(runs, other), { recursive: true });
    const refused = await sop(['view', '20200101', '--port', '0'], { cwd });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).not.toMatch(STACK_LINE);
    const report = await sop(['report', '20200101'], { cwd });
    expect(refused.stderr).toBe(report.stderr);
    expect(refused.stderr).toContain('error USAGE: run id 20200101 is the beginning of 2 runs in .sop/runs, newest first: 20200101-000002-abcdef, 20200101-000001-abcdef\n');

    const missing = await sop(['view', '19990101', '--port', '0'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error RUN_NOT_FOUND: no run 19990101');

    // In a URL: the same refusal as text, no page.
    await whileServing(cwd, [], async (url) => {
      const several = await fetch(new URL('/runs/20200101/', url));
      expect(several.status).toBe(404);
      expect(await several.text()).toContain(`run id 20200101 is the beginning of 2 runs in ${runs}, newest first`);
    });
  });
});
