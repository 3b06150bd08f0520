import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { expectNoSecret, project, run } from './providers-helpers.js';

afterAll(removeTempDirs);

/** The value of `${env:CUT_TOKEN}`, a declared HTTP tool's header: a secret the run masks. */
const SECRET = 'sk-live-ABCDEF123';
/** What a cut through the secret 9 characters from its start, or from its end, would leave. */
const FRAGMENTS = [SECRET.slice(0, 9), SECRET.slice(-9)];
const MAX_BYTES = 1000;

/** Text whose head and tail, as a tool result cut to `budget` bytes keeps them, each end 9 characters into the secret. */
function straddling(budget: number): string {
  const keep = budget - 64; // the `[... N bytes cut ...]` note's room
  const head = Math.floor(keep / 2);
  return `${'a'.repeat(head - 9)}${SECRET}${'b'.repeat(2000)}${SECRET}${'c'.repeat(keep - head - 9)}`;
}

const sopText = (tool: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: cut, version: 1.0.0 }
settings: { tools: { max_output_bytes: ${MAX_BYTES}, shell: { allow: [node] }, http: { allow_hosts: [127.0.0.1] } } }
tools:
  issue:
    description: Fetch an issue
    parameters: { type: object, properties: {} }
    http:
      url: "http://127.0.0.1:9/issues"
      headers: { Authorization: "Bearer \${env:CUT_TOKEN}" }
messages: { Topic: {}, Note: {} }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  reader:
    profile: Reader
    watch: [Topic]
    actions:
      - id: read
        prompt: "Read about {{ message.content }}"
        tools: [${tool}]
        output: { type: Note, format: text }
stop_when: { type: Note }
`;

async function runWith(tool: string, call: string, setUp: (cwd: string) => void): Promise<void> {
  const cwd = project();
  setUp(cwd);
  writeFileSync(path.join(cwd, 'cut.yaml'), sopText(tool));
  writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: reader, action: read, tools: [${call}], output: done }\n`);
  const result = await run(cwd, ['run', 'cut.yaml', 'owls', '--model', 'script:answers.yaml', '--workspace', 'out', '--event-prompts', '--events', 'events.jsonl'], { CUT_TOKEN: SECRET });
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.code, result.stderr).toBe(0);
  const events = readFileSync(path.join(cwd, 'events.jsonl'), 'utf8');
  // The result was cut where the secrets were, and shows the mask, not the part of each the cut kept.
  expect(events).toContain('bytes cut ...]');
  expect(events).toContain('***');
  // The run's records and the events (the workspace's file holds the secret of its own).
  for (const fragment of FRAGMENTS) {
    expect(events).not.toContain(fragment);
    expectNoSecret(fragment, path.join(cwd, '.sop'), [result]);
  }
}

describe('a tool result cut to max_output_bytes where a secret is', () => {
  it('fs.read of a large file: the secret is masked whole at both cuts, in the events, the records and the model\'s prompt', async () => {
    await runWith('fs.read', '{ tool: fs.read, args: { path: notes.txt } }', (cwd) => {
      mkdirSync(path.join(cwd, 'out'), { recursive: true });
      writeFileSync(path.join(cwd, 'out', 'notes.txt'), straddling(MAX_BYTES));
    });
  });

  it('the shell tool\'s output: the same', async () => {
    // The command builds the text from pieces: the secret (or a fragment) is in no argument.
    const budget = MAX_BYTES - 'exit code 0'.length - 40;
    const script = `const s = ['sk-live-', 'A', 'BC', 'DEF123'].join(''); process.stdout.write(${JSON.stringify(straddling(budget).replaceAll(SECRET, '#'))}.replaceAll('#', s))`;
    await runWith('shell', `{ tool: shell, args: { command: node, args: ["-e", ${JSON.stringify(script)}] } }`, () => {});
  });

  it('http.get of a long page: the same', async (context) => {
    // The page follows `HTTP 200\n` (9 bytes) in the result.
    const page = straddling(MAX_BYTES).slice(9);
    const server = createServer((_request, response) => response.end(page));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    context.onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    await runWith('http.get', `{ tool: http.get, args: { url: "http://127.0.0.1:${port}/page" } }`, () => {});
  });

  it('fs.search, whose matching line is cut at 300 characters where the secret is: the same', async () => {
    await runWith('fs.search', '{ tool: fs.search, args: { text: needle } }', (cwd) => {
      mkdirSync(path.join(cwd, 'out'), { recursive: true });
      // `needle` and 285 characters: the cut at 300 falls 9 characters into the secret; the other lines fill the cap.
      const lines = [`needle${'a'.repeat(285)}${SECRET}`, ...Array.from({ length: 20 }, (_, index) => `needle ${index} ${'b'.repeat(80)}`), `needle ${'c'.repeat(40)}${SECRET}`];
      writeFileSync(path.join(cwd, 'out', 'notes.txt'), `${lines.join('\n')}\n`);
    });
  });

  it('the shell tool\'s output with a secret in the part shown: the note counts the bytes of the output left out, not the mask\'s', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'cut.yaml'), sopText('shell'));
    // The secret starts stdout (kept in the head, shown masked), then 3000 `a` and a tail of `z`.
    const script = `process.stdout.write(['sk-live-', 'ABC', 'DEF123'].join('') + 'a'.repeat(3000) + 'z'.repeat(600))`;
    writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: reader, action: read, tools: [{ tool: shell, args: { command: node, args: ["-e", ${JSON.stringify(script)}] } }], output: done }\n`);
    const result = await run(cwd, ['run', 'cut.yaml', 'owls', '--model', 'script:answers.yaml', '--workspace', 'out', '--event-prompts', '--events', 'events.jsonl'], { CUT_TOKEN: SECRET });
    expect(result.code, result.stderr).toBe(0);
    const end = readFileSync(path.join(cwd, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((event) => event.type === 'tool-call-end');
    const shown = /--- stdout ---\n(\*\*\*a+)\n\[\.\.\. (\d+) bytes cut \.\.\.\]\n(z+)$/.exec(end.result);
    expect(shown, end.result).not.toBeNull();
    const [, head, cut, tail] = shown as RegExpExecArray;
    // What the model was shown stands for the secret, the `a`s and `z`s it shows: the rest was cut.
    const total = SECRET.length + 3000 + 600;
    expect(Number(cut)).toBe(total - (SECRET.length + (head as string).length - 3) - (tail as string).length);
  });

  it('http.get of a page longer than it reads, a secret in the part shown: the note counts the bytes of the page left out', async (context) => {
    // Sent with its Content-Length: the tool reads a few KB of it (one chunk of what came) and says how much of the page it cut.
    const page = `${SECRET}${'a'.repeat(300_000)}`;
    const server = createServer((_request, response) => response.writeHead(200, { 'content-length': page.length }).end(page));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    context.onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const cwd = project();
    writeFileSync(path.join(cwd, 'cut.yaml'), sopText('http.get'));
    writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n  - { role: reader, action: read, tools: [{ tool: http.get, args: { url: "http://127.0.0.1:${port}/page" } }], output: done }\n`);
    const result = await run(cwd, ['run', 'cut.yaml', 'owls', '--model', 'script:answers.yaml', '--workspace', 'out', '--event-prompts', '--events', 'events.jsonl'], { CUT_TOKEN: SECRET });
    expect(result.code, result.stderr).toBe(0);
    const end = readFileSync(path.join(cwd, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((event) => event.type === 'tool-call-end');
    const shown = /^HTTP 200\n(\*\*\*a+)\n\[\.\.\. (\d+) bytes cut: the body is (\d+) bytes \.\.\.\]$/.exec(end.result);
    expect(shown, end.result).not.toBeNull();
    const [, head, cut, total] = shown as RegExpExecArray;
    expect(Number(total)).toBe(page.length);
    expect(Number(cut)).toBe(page.length - (SECRET.length + (head as string).length - 3));
  });
});
