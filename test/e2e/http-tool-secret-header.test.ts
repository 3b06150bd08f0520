import { createServer, type Server } from 'node:http';
import { existsSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { callThenAnswer } from '../support/fake-llm/tool-script.js';
import { expectNoSecret, project, run, TEST_KEY } from './providers-helpers.js';

/**
 * A declared HTTP tool calling an API that wants `Authorization: Bearer <token>`: the token had to be
 * written into the SOP file. Now the header says `${env:NAME}`; the run reads it as it starts, sends
 * it, and masks it everywhere, the tool result the model is handed included (the server echoes it).
 */
const TOKEN = 'tok-HTTPSEC-5f3a9c1e77d0';

let server: Server;
let port: number;
const seen: Array<string | undefined> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers.authorization);
    if (request.url?.startsWith('/long/')) {
      // The header echoed all along a body longer than the tool's cap: the cut goes through one.
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end(`${request.headers.authorization} `.repeat(100));
    }
    const authorized = request.headers.authorization === `Bearer ${TOKEN}` && request.headers['x-issue'] === '42';
    response.writeHead(authorized ? 200 : 401, { 'content-type': 'application/json' });
    // Echoes the header, as many APIs' error pages and debug endpoints do.
    response.end(JSON.stringify({ authorized, title: 'Login fails on Safari', authorization: request.headers.authorization }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  removeTempDirs();
  await new Promise((resolve) => server.close(resolve));
});

function sopText(): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: issues, version: 1.0.0, requires: ">=0.2 <1" }
tools:
  issue:
    description: Fetch an issue
    parameters: { type: object, required: [number], properties: { number: { type: integer } } }
    http:
      url: "http://127.0.0.1:${port}/issues/{{ args.number }}"
      headers: { Authorization: "Bearer \${env:ISSUE_TOKEN}", X-Issue: "{{ args.number }}" }
messages:
  Task: { description: what to do }
  Notes: { description: what the issue says }
start:
  - { type: Task, content: "read issue 42" }
roles:
  worker:
    profile: Worker
    goal: Read the issue
    watch: [Task]
    actions:
      - id: look
        prompt: "{{ message.content }}"
        tools: [issue]
        output: { type: Notes, format: text }
        artifacts: [{ path: notes.md }]
stop_when: { type: Notes }
`;
}

describe('a declared HTTP tool with ${env:NAME} in a header', () => {
  it('sends the token read from the environment, and it appears nowhere: not in the run folder, the workspace, stdout, stderr, nor what the model is handed', async (context) => {
    const openai = await startFakeOpenAI({ answer: callThenAnswer([{ name: 'issue', arguments: { number: 42 } }]) });
    context.onTestFinished(() => openai.close());
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), sopText());
    seen.length = 0;
    const env = { ISSUE_TOKEN: TOKEN, OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url, SOP_NO_CACHE: '1' };
    const result = await run(cwd, ['run', 'sop.yaml', 'go', '--model', 'openai:gpt-4o-mini', '--event-prompts', '--events', '-', '--log-format', 'json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(seen).toEqual([`Bearer ${TOKEN}`]);

    // The model was handed the server's answer (authorized) with the echoed token masked.
    const handed = JSON.stringify(openai.requests.map((request) => request.body));
    expect(handed).toContain('\\"authorized\\":true');
    expect(handed).toContain('Bearer ***');
    expect(handed).not.toContain(TOKEN);

    expect(result.stdout).toContain('"tool-call-end"');
    expect(expectNoSecret(TOKEN, cwd, [result])).toBeGreaterThan(3);
  });

  it('a reply echoing the token all along is masked before the cap cuts it: no part of the token is handed to the model', async (context) => {
    const openai = await startFakeOpenAI({ answer: callThenAnswer([{ name: 'issue', arguments: { number: 42 } }]) });
    context.onTestFinished(() => openai.close());
    const cwd = project();
    const long = sopText().replace('/issues/', '/long/').replace('tools:\n', 'settings: { tools: { max_output_bytes: 1000 } }\ntools:\n');
    writeFileSync(path.join(cwd, 'sop.yaml'), long);
    const env = { ISSUE_TOKEN: TOKEN, OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url, SOP_NO_CACHE: '1' };
    const result = await run(cwd, ['run', 'sop.yaml', 'go', '--model', 'openai:gpt-4o-mini', '--event-prompts'], env);
    expect(result.code, result.stderr).toBe(0);
    const handed = openai.requests
      .flatMap((request) => (request.body.messages as Array<{ role: string; content: unknown }>).filter((message) => message.role === 'tool'))
      .map((message) => String(message.content))
      .join('\n');
    expect(handed).toMatch(/\[\.\.\. \d+ bytes cut \.\.\.\]/);
    // What is left once the whole masked headers and the cut's note are taken out: only parts of
    // `Bearer *** ` at the cut's two sides, no character of the token.
    const left = handed.replace(/Bearer \*\*\* /g, '').replace(/\[\.\.\. \d+ bytes cut \.\.\.\]/g, '').replace(/^HTTP 200/, '');
    expect(left).toMatch(/^[Bear *\n]*$/);
    expect(expectNoSecret(TOKEN, cwd, [result])).toBeGreaterThan(0);
  });

  it('an unset variable is refused before the run, naming the tool, the header and the variable (exit 11, no run folder)', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), sopText());
    seen.length = 0;
    const result = await run(cwd, ['run', 'sop.yaml', 'go'], {});
    expect(result.code, result.stderr).toBe(11);
    // Said at the header's line, as a configuration file's unset variable is.
    expect(result.stderr).toContain('sop.yaml:10:34: error CONFIG_ENV_MISSING: environment variable ISSUE_TOKEN is not set (used by `tools.issue.http.headers.Authorization`)');
    expect(result.stderr).toContain('hint: export ISSUE_TOKEN=..., or change `tools.issue.http.headers.Authorization` in sop.yaml');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);
    expect(seen).toEqual([]);
  });

  it('sop validate reads the header as a place for ${env:NAME}: no ENV_NOT_EXPANDED; a reference without its `}` is an error at the header', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), sopText());
    const valid = await run(cwd, ['validate', 'sop.yaml'], {});
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    expect(valid.stdout + valid.stderr).not.toContain('ENV_NOT_EXPANDED');

    writeFileSync(path.join(cwd, 'sop.yaml'), sopText().replace('${env:ISSUE_TOKEN}', '${env:ISSUE_TOKEN'));
    const broken = await run(cwd, ['validate', 'sop.yaml'], {});
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain('sop.yaml:10:33: error SCHEMA_PATTERN: `${env:ISSUE_TOKEN` is not a valid environment reference (no closing `}`)');
  });
});
