import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `report.html` in a run's record, and `sop report RUN` building it again from the journal: the
 * data the page embeds, secrets masked, and the errors for a run that is missing or damaged.
 */
const PIPELINE = path.join(repoRoot, 'test', 'fixtures', 'runtime', 'pipeline.yaml');
const SECRET = 'sk-report-test-0123456789abcdef';

afterAll(removeTempDirs);

let cwd: string;
let runId: string;
let runDir: string;

/** The JSON the page embeds (`<script type="application/json" id="report-data">`). */
function embedded(html: string): Record<string, any> {
  const match = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html);
  expect(match, 'report-data element').not.toBeNull();
  return JSON.parse(match?.[1] as string);
}

beforeAll(async () => {
  cwd = tempDir('sop-report-');
  // The idea carries the key: the run masks it in what it writes, and so must the report.
  const result = await sop(['run', PIPELINE, `a todo app </script><script>alert(1)</script> ${SECRET}`, '--quiet', '--event-prompts'], { cwd, env: { OPENAI_API_KEY: SECRET } });
  expect(result.code, result.stderr).toBe(0);
  runId = readdirSync(path.join(cwd, '.sop', 'runs'))[0] as string;
  runDir = path.join(cwd, '.sop', 'runs', runId);
});

describe('report.html of a run', () => {
  it('is written into the run record: one file, no network, the run as embedded data, secrets masked', () => {
    const html = readFileSync(path.join(runDir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    // A `</script>` in the run's text cannot end the data early: exactly the two real script elements.
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain(SECRET);
    const data = embedded(html);
    expect(data['run']).toMatchObject({ id: runId, sop: 'pipeline' });
    expect(data['end']).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(data['messages'][0].content).toContain('</script><script>alert(1)</script> ***');
    expect(data['calls'].length).toBeGreaterThan(0);
    expect(data['calls'][0].prompt[1].content).toContain('a todo app');
    expect(data['calls'][0].answer).toEqual(expect.any(String));
    expect(data['graphSvg']).toContain('<svg');
    expect(data['totals'].byRole.map((row: { key: string }) => row.key).sort()).toEqual(['reviewer', 'writer']);
  });

  it('sop report RUN builds it again, to --out FILE too', async () => {
    rmSync(path.join(runDir, 'report.html'));
    const rebuilt = await sop(['report', runId, '--json'], { cwd, env: { OPENAI_API_KEY: SECRET } });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(envelopeOf(rebuilt)).toMatchObject({ ok: true, command: 'report', result: { runId, status: 'completed', file: path.join(runDir, 'report.html') } });
    const html = readFileSync(path.join(runDir, 'report.html'), 'utf8');
    expect(html).not.toContain(SECRET);
    expect(embedded(html)['graphSvg']).toContain('<svg');

    const out = await sop(['report', runDir, '--out', 'copy/run.html'], { cwd });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe(path.join(cwd, 'copy', 'run.html'));
    expect(embedded(readFileSync(path.join(cwd, 'copy', 'run.html'), 'utf8'))['run'].id).toBe(runId);
  });

  it('an --out file it cannot write (a full disk, a read-only folder) is an error starting with `--out`, as other file flags\' are', async () => {
    const cases: { args: string[]; code: number; line: string }[] = [];
    if (existsSync('/dev/full')) {
      cases.push({ args: ['--out', '/dev/full'], code: 14, line: 'error STORAGE_NO_SPACE: --out: cannot write /dev/full: no space left on the device (ENOSPC)' });
      cases.push({ args: ['--out', '/dev/full', '--json'], code: 14, line: '' });
    }
    const locked = path.join(cwd, 'locked-out');
    mkdirSync(locked, { recursive: true });
    chmodSync(locked, 0o555);
    cases.push({ args: ['--out', path.join(locked, 'run.md')], code: 14, line: `error STORAGE_PERMISSION: --out: cannot write ${path.join(locked, 'run.md')}: permission denied (EACCES)` });
    for (const { args, code, line } of cases) {
      const result = await sop(['report', runId, ...args], { cwd, withoutDacOverride: true });
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).not.toMatch(STACK_LINE);
      if (args.includes('--json')) expect(envelopeOf(result)).toMatchObject({ ok: false, error: { code: 'STORAGE_NO_SPACE', message: '--out: cannot write /dev/full: no space left on the device (ENOSPC)' } });
      else expect(result.stderr.split('\n')[0]).toBe(line);
    }
  });

  it('--out FILE.json or FILE.xml is refused (exit 2) before anything is written, naming where the JSON report and JUnit come from', async () => {
    const json = await sop(['report', runId, '--out', 'run.json'], { cwd });
    expect(json.code, json.stderr).toBe(2);
    expect(json.stderr).not.toMatch(STACK_LINE);
    expect(json.stderr).toContain('error USAGE: --out run.json: `sop report` writes the HTML page (FILE.html) or the Markdown summary (FILE.md), not JSON');
    expect(json.stderr).toContain(`hint: the run's JSON report is ${path.join('.sop', 'runs', runId, 'report.json')} (the result of \`sop run --json\`); for the page give --out run.html`);
    expect(existsSync(path.join(cwd, 'run.json'))).toBe(false);

    const xml = await sop(['report', runId, '--out', 'results.xml', '--json'], { cwd });
    expect(xml.code, xml.stderr).toBe(2);
    expect(envelopeOf(xml)).toMatchObject({ ok: false, error: { code: 'USAGE', hint: 'JUnit XML is written by `sop run --junit FILE` (or `sop resume RUN --junit FILE`); for the page give --out results.html' } });
    expect(existsSync(path.join(cwd, 'results.xml'))).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('--open hands the page to the desktop\'s opener (xdg-open) as a file:// URL', async () => {
    const bin = tempDir('sop-report-bin-');
    const opened = path.join(bin, 'opened.txt');
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const result = await sop(['report', runId, '--open'], { cwd, env: { PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` } });
    expect(result.code, result.stderr).toBe(0);
    await expect.poll(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : ''), { timeout: 30_000 }).toBe(`file://${path.join(runDir, 'report.html')}`);
  });

  it.skipIf(process.platform !== 'linux')('--open says when nothing was opened: no opener installed, or one that fails (a machine without a desktop)', async () => {
    const bin = tempDir('sop-report-bin-');
    const page = `file://${path.join(runDir, 'report.html')}`;
    const missing = await sop(['report', runId, '--open'], { cwd, env: { PATH: bin } });
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stderr).toContain(`warning: not opened: xdg-open is not installed; open ${page} in a browser`);
    writeFileSync(path.join(bin, 'xdg-open'), '#!/bin/sh\necho "no method available for opening" >&2\nexit 3\n');
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const failing = await sop(['report', runId, '--open', '--json'], { cwd, env: { PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` } });
    expect(failing.code, failing.stderr).toBe(0);
    expect(envelopeOf<any>(failing).warnings).toEqual([expect.objectContaining({ message: `not opened: xdg-open exited with 3 (no desktop here?); open ${page} in a browser` })]);
  });

  it('--out FILE.md writes the run\'s Markdown summary (as a GitHub step summary shows it), secrets masked; an ended run whose report.json is gone has none', async () => {
    const out = path.join(cwd, 'summary.md');
    const result = await sop(['report', runId, '--out', out], { cwd, env: { OPENAI_API_KEY: SECRET } });
    expect(result.code, result.stderr).toBe(0);
    const markdown = readFileSync(out, 'utf8');
    expect(markdown.startsWith('### sop run: pipeline ')).toBe(true);
    expect(markdown).toMatch(/^\| completed \| 0 \| \d+ \| /m);
    expect(markdown).toMatch(/^\| writer \| 1 \| 0 \| /m);
    expect(markdown).toMatch(/^\| reviewer \| 1 \| 0 \| /m);
    expect(markdown).toContain(`Run record: \`${runId}\``);
    expect(markdown).not.toContain(SECRET);
    expect(markdown).not.toContain('<html');

    const unfinished = path.join(cwd, 'unfinished');
    cpSync(runDir, unfinished, { recursive: true });
    rmSync(path.join(unfinished, 'report.json'));
    const refused = await sop(['report', unfinished, '--out', path.join(cwd, 'none.md')], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error RUN_NOT_FOUND: ${unfinished} has no report.json, though its journal says the run ended (completed): the report was removed, or the run was killed while writing it`);
    expect(existsSync(path.join(cwd, 'none.md'))).toBe(false);
  });

  it('--out FILE.md names the artifacts\' folder as the step summary does: relative to the checkout or the working folder, not the runner\'s absolute path', async () => {
    const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as { workspace: string; artifacts: unknown[] };
    expect(report.artifacts.length).toBeGreaterThan(0);
    const inside = path.relative(cwd, report.workspace).split(path.sep).join('/');
    expect(inside.startsWith('..')).toBe(false);
    const out = path.join(cwd, 'relative.md');
    const here = await sop(['report', runId, '--out', out], { cwd });
    expect(here.code, here.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`in <code>${inside}</code>`);
    expect(readFileSync(out, 'utf8')).not.toContain(cwd);
    // Under Actions, from a subfolder of the checkout: relative to the checkout, as the run's own step summary.
    const sub = path.join(cwd, 'sub');
    mkdirSync(sub, { recursive: true });
    const checkout = await sop(['report', runId, '--runs-dir', path.join(cwd, '.sop', 'runs'), '--out', out], { cwd: sub, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: cwd } });
    expect(checkout.code, checkout.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(`in <code>${inside}</code>`);
    // Outside the folder it is run from, the folder keeps its absolute path.
    const elsewhere = tempDir('sop-report-elsewhere-');
    const far = await sop(['report', runDir, '--out', path.join(elsewhere, 'far.md')], { cwd: elsewhere });
    expect(far.code, far.stderr).toBe(0);
    expect(readFileSync(path.join(elsewhere, 'far.md'), 'utf8')).toContain(`in <code>${report.workspace}</code>`);
  });

  it('a run that does not exist, or a folder with no record: RUN_NOT_FOUND (exit 2), one line, no stack', async () => {
    const missing = await sop(['report', 'no-such-run', '--json'], { cwd });
    expect(missing.code).toBe(2);
    expect(envelopeOf(missing)).toMatchObject({ ok: false, error: { code: 'RUN_NOT_FOUND' } });
    mkdirSync(path.join(cwd, '.sop', 'runs', 'empty'));
    const empty = await sop(['report', 'empty'], { cwd });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('RUN_NOT_FOUND');
    expect(empty.stderr).toContain('has no run record');
    expect(empty.stderr).not.toMatch(STACK_LINE);
  });

  it('a damaged journal: RUN_JOURNAL_DAMAGED (exit 15) with the line', async () => {
    const copy = path.join(cwd, 'damaged');
    cpSync(runDir, copy, { recursive: true });
    const journal = path.join(copy, 'journal.jsonl');
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines.splice(5, 1);
    writeFileSync(journal, lines.join('\n'));
    const result = await sop(['report', copy], { cwd });
    expect(result.code).toBe(15);
    expect(result.stderr).toMatch(/RUN_JOURNAL_DAMAGED: .*journal\.jsonl is damaged at line \d+/);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(copy, 'report.html'))).toBe(true); // the old one, untouched
  });
});

describe('sop report RUN of a run resumed with a changed SOP', () => {
  it('draws the team of the SOP the run last ran with, not the one it was started with', async () => {
    const dir = tempDir('sop-report-changed-');
    const file = path.join(dir, 'ask.yaml');
    const started = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'human-gate', 'ask.yaml'), 'utf8');
    writeFileSync(file, started);
    const first = await sop(['run', file, 'an idea', '--quiet'], { cwd: dir });
    expect(first.code, first.stderr).toBe(8);
    const id = readdirSync(path.join(dir, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    // A role added while the run awaited approval: the resume goes on with it.
    writeFileSync(file, `${started}  notifier:\n    profile: Notifier\n    watch: [Answer]\n    actions:\n      - { id: notify, prompt: "Notify {{ message.content }}", output: { type: Idea } }\n`);
    const resumed = await sop(['resume', id, '--approve', '--allow-changed-sop', '--quiet'], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    const rebuilt = await sop(['report', id, '--out', path.join(dir, 'again.html')], { cwd: dir });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(embedded(readFileSync(path.join(dir, 'again.html'), 'utf8'))['graphSvg']).toContain('Notifier');
  });
});
