import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, repoRoot, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** Past this the command counts as hung: a named pipe nothing writes to is refused after 5 s. */
const HUNG_MS = 15_000;

/** The real CLI, killed if it has not ended within HUNG_MS (it waited for ever on a pipe). */
function sopWithin(args: string[], cwd: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [binPath, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), HUNG_MS);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve({ code, output, ms: Date.now() - started });
  }));
}

describe('a named pipe nothing writes to is refused, not waited on for ever', () => {
  it('the SOP, a test file, a dataset, a cassette and sop.config.yaml: FILE_UNREADABLE naming the path, exit 2', { timeout: 60_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    for (const name of ['sop.yaml', 'cases.test.yaml', 'cases.yaml', 'run.cassette.jsonl']) execFileSync('mkfifo', [path.join(cwd, name)]);
    const configured = path.join(cwd, 'configured');
    mkdirSync(configured);
    copyFileSync(path.join(cwd, 'answer.yaml'), path.join(configured, 'answer.yaml'));
    execFileSync('mkfifo', [path.join(configured, 'sop.config.yaml')]);
    const expected = 'no program wrote to within 5 s; expected a regular file';
    const [validate, test, evaluate, replay, config] = await Promise.all([
      sopWithin(['validate', 'sop.yaml'], cwd),
      sopWithin(['test', 'cases.test.yaml'], cwd),
      sopWithin(['eval', 'answer.yaml', '--dataset', 'cases.yaml'], cwd),
      sopWithin(['run', 'answer.yaml', '--input', 'idea=x', '--replay', 'run.cassette.jsonl'], cwd),
      sopWithin(['run', 'answer.yaml', '--input', 'idea=x'], configured),
    ]);
    expect([validate.code, validate.output]).toEqual([2, expect.stringContaining(`sop.yaml: error FILE_UNREADABLE: cannot read sop.yaml: it is a named pipe ${expected}`)]);
    expect([test.code, test.output]).toEqual([2, expect.stringContaining(`error FILE_UNREADABLE: cannot read test file cases.test.yaml: it is a named pipe ${expected}`)]);
    expect([evaluate.code, evaluate.output]).toEqual([2, expect.stringContaining(`error FILE_UNREADABLE: cannot read dataset cases.yaml: it is a named pipe ${expected}`)]);
    // Files that are never a pipe's output are refused at once.
    expect([replay.code, replay.output]).toEqual([2, expect.stringContaining('run.cassette.jsonl is a named pipe; expected a regular file')]);
    // Refused at once: not the words of a pipe waited on for 5 s.
    expect([config.code, config.output]).toEqual([2, expect.stringContaining('sop.config.yaml: it is a named pipe; expected a regular file')]);
    expect(config.output).not.toContain('within 5 s');
  });

  it('a pipe a program writes to is still read: `sop validate <(cat sop.yaml)`', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    const shell = spawn('bash', ['-c', `"${process.execPath}" "${binPath}" validate <(cat answer.yaml)`], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => shell.on('close', resolve));
    expect([code, output]).toEqual([0, expect.stringMatching(/1 file: 1 valid/)]);
  });

  it('an invalid SOP written once into a named pipe is reported without reading the pipe again for its code frames', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    execFileSync('mkfifo', [path.join(cwd, 'sop.yaml')]);
    const running = sopWithin(['validate', 'sop.yaml'], cwd);
    await writeFile(path.join(cwd, 'sop.yaml'), 'apiVersion: sop/v1\nbogus: 1\n');
    const result = await running;
    expect([result.code, result.output]).toEqual([3, expect.stringContaining('sop.yaml:2:1: error SCHEMA_UNKNOWN_FIELD: unknown field `bogus`')]);
  });

  it('--events naming a named pipe no program reads is refused at once (FILE_UNWRITABLE, exit 2); with a reader, it gets every event', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    execFileSync('mkfifo', [path.join(cwd, 'events')]);
    const refused = await sopWithin(['run', 'answer.yaml', '--input', 'idea=x', '--events', 'events'], cwd);
    expect([refused.code, refused.output]).toEqual([2, expect.stringContaining('error FILE_UNWRITABLE: --events: cannot write events: it is a named pipe no program reads')]);
    // The reader opens first (its open waits for the run's), as `jq . < events &` does.
    const read = readFile(path.join(cwd, 'events'), 'utf8');
    const ran = await sopWithin(['run', 'answer.yaml', '--input', 'idea=x', '--events', 'events'], cwd);
    expect(ran.code, ran.output).toBe(0);
    expect((await read).trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type)).toContain('run-end');
  });

  it('--junit naming a named pipe: its reader gets the XML and the pipe stays (a plain file was renamed over it); without a reader, FILE_UNWRITABLE', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    const pipe = path.join(cwd, 'junit.xml');
    execFileSync('mkfifo', [pipe]);
    const read = readFile(pipe, 'utf8');
    const ran = await sopWithin(['run', 'answer.yaml', '--input', 'idea=x', '--junit', 'junit.xml'], cwd);
    expect(ran.code, ran.output).toBe(0);
    expect(await read).toMatch(/^<\?xml [^]*<testsuites /);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
    const unread = await sopWithin(['run', 'answer.yaml', '--input', 'idea=x', '--junit', 'junit.xml'], cwd);
    expect([unread.code, unread.output]).toEqual([2, expect.stringContaining('error FILE_UNWRITABLE: --junit: cannot write junit.xml: it is a named pipe no program reads')]);
    expect(lstatSync(pipe).isFIFO()).toBe(true);
  });

  it.skipIf(!existsSync('/dev/full'))('--events on a full disk (/dev/full): STORAGE_NO_SPACE naming --events, exit 14, once the run is over (the run ended 0 with no event written)', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-full-');
    copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
    const ran = await sopWithin(['run', 'answer.yaml', '--input', 'idea=x', '--events', '/dev/full'], cwd);
    expect([ran.code, ran.output]).toEqual([14, expect.stringContaining('error STORAGE_NO_SPACE: --events: cannot write /dev/full: no space left on the device (ENOSPC); the events from then on are not in it')]);
    // The run completed: no `sop resume` to offer.
    expect(ran.output).not.toMatch(/resume/);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('a file input naming a named pipe is refused at once (INPUT_FILE_INVALID, exit 2), in words', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    cpSync(path.join(repoRoot, 'examples', 'data-check'), cwd, { recursive: true });
    execFileSync('mkfifo', [path.join(cwd, 'orders.csv')]);
    const result = await sopWithin(['run', 'sop.yaml', '--input', 'data=@orders.csv'], cwd);
    expect([result.code, result.output]).toEqual([2, expect.stringMatching(/^error INPUT_FILE_INVALID: file input "data": cannot read \/.*\/orders\.csv: it is a named pipe; expected a regular file$/m)]);
  });

  // `script` (util-linux) gives the command a terminal, as a user's shell does.
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasScript)('`sop validate /dev/stdin` on a terminal is refused at once instead of waiting for typing', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-tty-');
    const shown = spawnSync('script', ['-qec', `"${process.execPath}" "${binPath}" validate /dev/stdin`, '/dev/null'], { cwd, encoding: 'utf8', timeout: HUNG_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(shown.status).toBe(2);
    expect(shown.stdout.replaceAll('\r', '')).toContain('/dev/stdin: error FILE_UNREADABLE: cannot read /dev/stdin: it is a terminal; expected a regular file');
  });

  it('a prompt file that is a named pipe is FILE_REF_INVALID at the reference (exit 3), saying what it is', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    const sopText = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), 'utf8').replace('prompt: "Answer the question: {{ message.content }}"', 'prompt: { file: question.liquid }');
    writeFileSync(path.join(cwd, 'answer.yaml'), sopText);
    execFileSync('mkfifo', [path.join(cwd, 'question.liquid')]);
    const result = await sopWithin(['validate', 'answer.yaml'], cwd);
    expect([result.code, result.output]).toEqual([3, expect.stringMatching(/^answer\.yaml:\d+:\d+: error FILE_REF_INVALID: `question\.liquid` is a named pipe, not a file$/m)]);
  });

  it('a Liquid or Handlebars partial that is a named pipe is TEMPLATE_SYNTAX at the include (exit 3), not read for ever', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-fifo-');
    const sopText = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), 'utf8').replace('prompt: "Answer the question: {{ message.content }}"', 'prompt: { file: question.txt }');
    writeFileSync(path.join(cwd, 'liquid.yaml'), sopText);
    writeFileSync(path.join(cwd, 'handlebars.yaml'), sopText.replace('stop_when:', 'settings: { templates: handlebars }\nstop_when:'));
    writeFileSync(path.join(cwd, 'question.txt'), "Q: {% render 'part' %}\n");
    execFileSync('mkfifo', [path.join(cwd, 'part.liquid')]);
    const liquid = await sopWithin(['validate', 'liquid.yaml'], cwd);
    expect([liquid.code, liquid.output]).toEqual([3, expect.stringContaining("error TEMPLATE_SYNTAX: {% render %}: partial `part` is a named pipe, not a file")]);
    writeFileSync(path.join(cwd, 'question.txt'), 'Q: {{> part}}\n');
    execFileSync('mkfifo', [path.join(cwd, 'part.hbs')]);
    const handlebars = await sopWithin(['validate', 'handlebars.yaml'], cwd);
    expect([handlebars.code, handlebars.output]).toEqual([3, expect.stringContaining('error TEMPLATE_SYNTAX: partial `part` is a named pipe, not a file')]);
  });

  it('a socket is refused at once, in words (was "no such device or address")', { timeout: 30_000 }, async () => {
    const cwd = tempDir('sop-socket-');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(cwd, 'sop.yaml'), resolve));
    const result = await sopWithin(['validate', 'sop.yaml'], cwd);
    server.close();
    expect([result.code, result.output]).toEqual([2, expect.stringContaining('cannot read sop.yaml: it is a socket; expected a regular file')]);
  });

  it('a device that cannot be opened is called a device, not a socket (/dev/tty without a terminal, as in CI)', () => {
    // detached: a session of its own, so no controlling terminal and opening /dev/tty fails (ENXIO).
    const result = spawnSync(process.execPath, [binPath, 'validate', '/dev/tty'], { cwd: tempDir('sop-tty-'), detached: true, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: HUNG_MS });
    expect([result.status, result.stderr + result.stdout]).toEqual([2, expect.stringContaining('cannot read /dev/tty: it is a device; expected a regular file')]);
  });
});
