import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

const BODY_BYTES = 500_000;
let server: Server;
let port: number;

beforeAll(async () => {
  // `/sized` says its length; `/chunked` does not (streamed in pieces).
  server = createServer((request, response) => {
    const body = 'x'.repeat(BODY_BYTES);
    // Just over the 4 × 4096 bytes read: sent at once, it comes whole in the chunk that crosses that bound.
    if (request.url === '/short-sized') response.writeHead(200, { 'content-length': '17000', 'content-type': 'text/plain' }).end('y'.repeat(17_000));
    else if (request.url === '/sized') response.writeHead(200, { 'content-length': String(BODY_BYTES), 'content-type': 'text/plain' }).end(body);
    else {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let at = 0; at < BODY_BYTES; at += 10_000) response.write(body.slice(at, at + 10_000));
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  removeTempDirs();
  await new Promise((resolve) => server.close(resolve));
});

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: tools, version: 1.0.0 }
settings:
  n_round: 2
  tools: { max_output_bytes: 4096, max_calls: 10, shell: { allow: [node] }, http: { allow_hosts: [127.0.0.1] } }
messages:
  Task: { description: what to do }
  Notes: { description: what the tools said }
start:
  - { type: Task, content: go }
roles:
  worker:
    profile: Worker
    goal: Use the tools
    watch: [Task]
    actions:
      - id: look
        prompt: "Use the tools on {{ message.content }}."
        tools: [http.get, shell]
        output: { type: Notes, format: text }
stop_when: { type: Notes }
`;

function script(port: number): string {
  const calls = [
    { tool: 'http.get', args: { url: `http://127.0.0.1:${port}/sized` } },
    { tool: 'http.get', args: { url: `http://127.0.0.1:${port}/chunked` } },
    { tool: 'shell', args: { command: 'node', args: ['-e', 'process.stdout.write("a\\u0000b\\u0001c\\u001b[31mred")'] } },
    { tool: 'shell', args: { command: 'node', args: ['-e', 'console.error("first problem\\nsecond problem"); process.exit(3)'] } },
    // A test runner's coloured report, long enough to be cut.
    { tool: 'shell', args: { command: 'node', args: ['-e', 'for (let i = 0; i < 2000; i++) console.log("\\u001b[32m\\u2713\\u001b[0m test " + i + " \\u001b]8;;file:///t/" + i + "\\u001b\\\\link\\u001b]8;;\\u001b\\\\")'] } },
    { tool: 'http.get', args: { url: `http://127.0.0.1:${port}/short-sized` } },
  ];
  return `apiVersion: sop-script/v1\nanswers:\n  - { role: worker, action: look, tools: ${JSON.stringify(calls)}, output: done }\n`;
}

/** The results the model was given, in call order, from the run's journal (`--event-prompts`). */
function toolResults(cwd: string): Array<{ tool: string; ok: boolean; result?: string; error?: string }> {
  const runs = path.join(cwd, '.sop', 'runs');
  const [run] = readdirSync(runs);
  return readFileSync(path.join(runs, run as string, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"tool-call-end"'))
    .map((line) => JSON.parse(line) as { event?: Record<string, unknown> } & Record<string, unknown>)
    .map((line) => (line.event ?? line) as { tool: string; ok: boolean; result?: string; error?: string });
}

describe('what a tool tells the model, and what the progress shows of it', () => {
  it('a cut HTTP body says how much was cut; binary output reaches the model without control bytes nor escape sequences; a multi-line tool error is indented', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'script.yaml'), script(port));
    const result = await sop(['run', 'sop.yaml', 'go', '--model', 'script:script.yaml', '--event-prompts', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const [sized, chunked, binary, failing, coloured, shortSized] = toolResults(cwd);

    // Content-Length known: the exact count; the head only (the tail read is not the body's end).
    expect(sized?.result).toMatch(/^HTTP 200\nx+\n\[\.\.\. (\d+) bytes cut: the body is 500000 bytes \.\.\.\]$/);
    const shown = (sized?.result ?? '').split('\n')[1]?.length ?? 0;
    expect(sized?.result).toContain(`[... ${BODY_BYTES - shown} bytes cut: the body is ${BODY_BYTES} bytes ...]`);
    // Its length known though the whole body came in the chunk read last: the exact count, not `at least`.
    const shortShown = (shortSized?.result ?? '').split('\n')[1]?.length ?? 0;
    expect(shortSized?.result).toBe(`HTTP 200\n${'y'.repeat(shortShown)}\n[... ${17_000 - shortShown} bytes cut: the body is 17000 bytes ...]`);
    // Unknown length: at least what was read past the part shown.
    expect(chunked?.result).toMatch(/^HTTP 200\nx+\n\[\.\.\. cut after \d+ bytes of the body: at least \d+ bytes more \.\.\.\]$/);

    // The colour code is removed, the other control bytes show as U+FFFD.
    expect(binary?.result).toBe('exit code 0\n--- stdout ---\na\uFFFDb\uFFFDcred');
    expect(binary?.result).not.toMatch(/[\u0000-\u0008\u001b]/);

    // Cut in the middle: no escape sequence, nor half of one where the cut went through it.
    const lines = (coloured?.result ?? '').split('\n');
    expect(lines.slice(0, 3)).toEqual(['exit code 0', '--- stdout ---', '\u2713 test 0 link']);
    expect(lines.at(-1)).toBe('\u2713 test 1999 link');
    expect(lines.filter((line) => /^\[\.\.\. \d+ bytes cut \.\.\.\]$/.test(line))).toHaveLength(1);
    expect(lines.slice(2).filter((line) => !/^\[\.\.\. /.test(line) && !/^[\u2713 a-z0-9]*$/.test(line))).toEqual([]);
    expect(coloured?.result).not.toMatch(/[\u0000-\u0008\u001b\uFFFD]|\[\d*m|8;;/);

    expect(failing).toMatchObject({ ok: false });
    expect(result.stderr).toContain('[round 1] worker look: tool shell failed: exit code 3\n    --- stderr ---\n    first problem\n    second problem\n');
  });
});
