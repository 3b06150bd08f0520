// report.html's figures for `npm run bench` (issue #14): a 500-round two-role conversation
// (bench/workloads/w4-conversation.yaml, a 0 ms model, prompts recorded as with --event-prompts,
// the largest record a run of that length leaves), then the median time to build its report.html
// from the journal (`sop report`'s work: read, build the data, draw the graph, write the page), and
// the page's size. With Debian's chromium and playwright-core installed, also the time headless
// Chromium takes to open it from file:// until the timeline is drawn.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './lib/stats.mjs';

const ROUNDS = 500;

const model = {
  provider: 'bench',
  capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
  async complete(request) {
    const prompt = request.messages.map((m) => m.content).join('\n');
    return { text: `answer to ${prompt.length} chars`, usage: { promptTokens: 10, completionTokens: 5, estimated: true }, model: 'bench' };
  },
};

export async function htmlReportFigures({ dist, scratch, sopFile, quick = false }) {
  const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
  const [{ loadResolvedSop, runSop }, { writeRunHtmlReport }] = await Promise.all([load('index.js'), load('cli/html-report.js')]);
  const { sop } = await loadResolvedSop(sopFile);
  const dir = mkdtempSync(path.join(scratch, 'html-report-'));
  const result = await runSop(sop, { inputs: { idea: 'x' }, cwd: dir, runsDir: path.join(dir, 'runs'), workspace: path.join(dir, 'ws'), model, nRound: ROUNDS, eventPrompts: true });
  const times = [];
  let written;
  for (let index = 0; index < (quick ? 2 : 5); index += 1) {
    const started = performance.now();
    // Without the SOP given, as `sop report` does: the SOP kept in the journal is resolved again.
    written = await writeRunHtmlReport(result.runDir);
    times.push(performance.now() - started);
  }
  return { rounds: result.report.rounds, buildMs: median(times), pageBytes: written.bytes, journalBytes: statSync(path.join(result.runDir, 'journal.jsonl')).size, openMs: await openTime(written.file) };
}

/** Milliseconds from navigation until the timeline's first row is drawn, in headless Chromium; undefined without one. */
async function openTime(file) {
  const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => existsSync(candidate));
  if (!executablePath) return undefined;
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return undefined;
  }
  const profile = mkdtempSync(path.join(path.dirname(file), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, { headless: true, executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  try {
    const times = [];
    for (let index = 0; index < 3; index += 1) {
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('.timeline .round');
      times.push(performance.now() - started);
      await page.close();
    }
    return median(times);
  } finally {
    await context.close();
  }
}
