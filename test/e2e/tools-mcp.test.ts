import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import type { WireRequest } from '../support/fake-llm/offline-answer.js';
import { officialServerScript, startEverythingHttp } from '../support/mcp/official-servers.js';
import { TEST_KEY, expectNoSecret, filesUnder, lastRun, project, run } from './providers-helpers.js';
import { readResumePoint } from '../../src/runtime/index.js';

/** An SOP whose analyst calls an MCP server's tools (a real server over stdio), a built-in and a declared tool. */
const SOP = path.join(repoRoot, 'test', 'fixtures', 'tools', 'mcp-sop.yaml');

/** The tools of server-everything safe to call offline (no downloads, no long operations, no environment dump). */
const EVERYTHING_TOOLS = ['echo', 'get-annotated-message', 'get-resource-links', 'get-resource-reference', 'get-structured-content', 'get-sum', 'get-tiny-image'];

/**
 * An SOP using the official MCP servers as a user would: memory and filesystem over stdio (started
 * from node_modules), everything over streamable HTTP at `${env:EVERYTHING_URL}`.
 */
/** The fixture SOP in `cwd`, its test server started by absolute path, offering `tools` (plus `serverExtra` on the server). */
function testServerSop(cwd: string, { tools, serverExtra = '' }: { tools: string; serverExtra?: string }): string {
  const sopFile = path.join(cwd, 'sop.yaml');
  const server = path.join(repoRoot, 'test', 'support', 'mcp', 'test-server.mjs');
  writeFileSync(
    sopFile,
    readFileSync(SOP, 'utf8')
      .replace('command: [node, ../../support/mcp/test-server.mjs]', `command: [node, ${JSON.stringify(server)}]${serverExtra}`)
      .replace('allowed_tools: [add, word_count]', `allowed_tools: [${tools}]`),
  );
  return sopFile;
}

function officialServersSop(memoryFile: string): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: official-mcp, version: 1.0.0 }
settings:
  tools: { max_calls: 40, timeout: 60 }
mcp_servers:
  memory:
    command: [node, ${JSON.stringify(officialServerScript('server-memory'))}]
    env: { MEMORY_FILE_PATH: ${JSON.stringify(memoryFile)} }
  files:
    command: [node, ${JSON.stringify(officialServerScript('server-filesystem'))}, .]
    cwd: out
  everything:
    url: "\${env:EVERYTHING_URL}"
    allowed_tools: [${EVERYTHING_TOOLS.join(', ')}]
messages:
  Question: { description: What to answer }
  Answer: { description: The answer }
start:
  - type: Question
    content: "{{ inputs.idea }}"
roles:
  analyst:
    profile: Analyst
    watch: [Question]
    actions:
      - id: answer
        prompt: "Answer this question, using the tools: {{ message.content }}"
        output: { type: Answer }
        tools: [memory.*, files.*, everything.*]
        artifacts: [{ path: answer.md }]
stop_when: { type: Answer }
`;
}

afterAll(removeTempDirs);

describe('tools end to end', () => {
  it('offline: each offered tool is called once (MCP, built-in, declared), then the answer is published', async () => {
    const cwd = project();
    const result = await run(cwd, ['run', SOP, 'what is 2 + 3?', '--workspace', 'out'], {});
    expect(result.code, result.stderr).toBe(0);
    const { events } = lastRun(cwd);
    const ends = events.filter((event) => event.type === 'tool-call-end');
    expect(ends.map((event) => [event.tool, event.ok])).toEqual([
      ['calc.add', true],
      ['calc.word_count', true],
      ['fs.list', true],
      ['shout', true],
    ]);
  });

  it('offline: the official servers (memory, filesystem over stdio; everything over HTTP) get every read-only tool called once with arguments their draft-07 schemas accept, the others none', async () => {
    const cwd = project();
    const memoryFile = path.join(cwd, 'memory.jsonl');
    writeFileSync(path.join(cwd, 'sop.yaml'), officialServersSop(memoryFile));
    const everything = await startEverythingHttp();
    try {
      const result = await run(cwd, ['run', 'sop.yaml', 'remember the project sop', '--workspace', 'out'], { EVERYTHING_URL: everything.url });
      expect(result.stderr).not.toMatch(STACK_LINE);
      // A run with more than ten MCP calls leaves no listener behind on the run's abort signal.
      expect(result.stderr).not.toContain('MaxListenersExceededWarning');
      expect(result.code, result.stderr).toBe(0);
      const { events } = lastRun(cwd);
      // Every tool the official servers list is valid MCP with a schema that compiles: none is skipped.
      expect(events.filter((event) => event.type === 'tool-skipped')).toEqual([]);
      const ends = events.filter((event) => event.type === 'tool-call-end');
      const called = ends.map((event) => event.tool as string);
      expect(new Set(called).size).toBe(called.length);
      // The tools annotated `readOnlyHint: true` only: the others would change the user's memory file and folder.
      expect(called.filter((name) => name.startsWith('memory.'))).toEqual(['memory.read_graph', 'memory.search_nodes', 'memory.open_nodes']);
      const files = called.filter((name) => name.startsWith('files.'));
      for (const writing of ['files.write_file', 'files.edit_file', 'files.create_directory', 'files.move_file']) expect(files).not.toContain(writing);
      expect(files.length).toBeGreaterThanOrEqual(8);
      expect(called.filter((name) => name.startsWith('everything.')).sort()).toEqual(EVERYTHING_TOOLS.map((name) => `everything.${name}`));
      // Every call got past argument validation to the server: what failed, failed there (a file not found, say).
      for (const end of ends) expect(String(end.error ?? ''), end.tool).not.toMatch(/invalid arguments|cannot be called/);
      const ok = new Map(ends.map((event) => [event.tool, event.ok]));
      for (const name of ['memory.read_graph', 'files.list_allowed_directories', 'everything.get-sum', 'everything.echo']) {
        expect(ok.get(name), name).toBe(true);
      }
      // Nothing was written: no entity in the memory file, no file but the run's own artifact in the workspace.
      expect(existsSync(memoryFile) ? readFileSync(memoryFile, 'utf8') : '').not.toContain('"type":"entity"');
      expect(Object.keys(filesUnder(path.join(cwd, 'out')))).toEqual(['answer.md']);
    } finally {
      everything.stop();
    }
  });

  it('an MCP tool whose schema does not compile is skipped when the server is listed (a tool-skipped event), the others are called, the run goes on', async () => {
    const cwd = project();
    const sopFile = testServerSop(cwd, { tools: 'add, broken' });
    const result = await run(cwd, ['run', sopFile, 'what is 2 + 3?', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(0);
    const { events } = lastRun(cwd);
    expect(events.filter((event) => event.type === 'tool-skipped')).toEqual([
      expect.objectContaining({ round: 1, role: 'analyst', action: 'answer', server: 'calc', tool: 'calc.broken', reason: 'its input schema does not compile (schema is invalid: data/properties/n/minimum must be number)' }),
    ]);
    const ends = events.filter((event) => event.type === 'tool-call-end');
    expect(ends.map((event) => [event.tool, event.ok])).toEqual([
      ['calc.add', true],
      ['fs.list', true],
      ['shout', true],
    ]);
  });

  it('OpenAI tool calls: the model adds with the MCP server, sees the result, and answers with it; a bad call gets an error result', async () => {
    const script = (wire: WireRequest) => {
      if (wire.toolResults.length === 0) {
        return { toolCalls: [{ name: 'calc_add', arguments: { a: 2, b: 3 } }, { name: 'calc_add', arguments: { a: 'two' } }, { name: 'no_such_tool', arguments: {} }] };
      }
      return `The answer is ${wire.toolResults.map((result) => result.content).join(' | ')}`;
    };
    const openai = await startFakeOpenAI({ answer: script });
    const cwd = project();
    try {
      const result = await run(cwd, ['run', SOP, 'what is 2 + 3?', '--model', 'openai:gpt-4o-mini', '--workspace', 'out'], {
        OPENAI_API_KEY: TEST_KEY,
        OPENAI_BASE_URL: openai.url,
      });
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code, result.stderr).toBe(0);
      // The tools went out in OpenAI's wire form, with wire-safe names.
      const offered = openai.requests[0]?.body.tools.map((tool: { function: { name: string } }) => tool.function.name);
      expect(offered).toEqual(['calc_add', 'calc_word_count', 'fs_list', 'shout']);
      const answer = readFileSync(path.join(cwd, 'out', 'answer.md'), 'utf8');
      expect(answer).toContain('The answer is 5 | error: invalid arguments');
      expect(answer).toContain('error: there is no tool named "no_such_tool"');
      const { events } = lastRun(cwd);
      expect(events.filter((event) => event.type === 'tool-call-end').map((event) => [event.tool, event.ok])).toEqual([
        ['calc.add', true],
        ['calc.add', false],
        ['no_such_tool', false],
      ]);
      expectNoSecret(TEST_KEY, cwd, [result]);
    } finally {
      await openai.close();
    }
  });

  it('max_tool_calls: after the limit the tools stay declared but the model must answer', async () => {
    let requests = 0;
    const script = (wire: WireRequest) => {
      requests += 1;
      return wire.toolChoice === 'none' ? `answered after ${wire.toolResults.length} results` : { toolCalls: [{ name: 'calc_add', arguments: { a: 1, b: requests } }] };
    };
    const openai = await startFakeOpenAI({ answer: script });
    const cwd = project();
    try {
      const result = await run(cwd, ['run', SOP, 'count', '--model', 'openai:gpt-4o-mini', '--workspace', 'out'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url });
      expect(result.code, result.stderr).toBe(0);
      expect(readFileSync(path.join(cwd, 'out', 'answer.md'), 'utf8')).toBe('answered after 6 results');
      expect(lastRun(cwd).events.filter((event) => event.type === 'tool-call-end')).toHaveLength(6);
      expect(openai.requests.at(-1)?.body.tool_choice).toBe('none');
    } finally {
      await openai.close();
    }
  });

  it('an MCP server whose ${env:NAME} is unset stops the run before it starts (exit 11, naming the variable); a set one is a secret', async () => {
    const cwd = project();
    const sopFile = testServerSop(cwd, { tools: 'add, word_count, env', serverExtra: '\n    env: { CALC_TOKEN: "${env:CALC_TOKEN}" }' });
    const missing = await run(cwd, ['run', sopFile, 'x', '--workspace', 'out'], {});
    expect(missing.code).toBe(11);
    expect(missing.stderr).toContain('environment variable CALC_TOKEN is not set (used by `mcp_servers.calc.env.CALC_TOKEN`');
    const token = 'calc-token-SECRET-98765';
    const given = await run(cwd, ['run', sopFile, 'x', '--workspace', 'out'], { CALC_TOKEN: token });
    expect(given.code, given.stderr).toBe(0);
    expectNoSecret(token, cwd, [given]);
  });

  it('a stdio server at a per-machine path: ${env:NAME} in `command` and `cwd` is expanded at run start; unset is exit 11 naming the field', async () => {
    const cwd = project();
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(sopFile, readFileSync(SOP, 'utf8').replace('command: [node, ../../support/mcp/test-server.mjs]', 'command: ["${env:MCP_NODE}", test-server.mjs]\n    cwd: "${env:MCP_HOME}"'));
    const serverHome = path.join(repoRoot, 'test', 'support', 'mcp');
    const missing = await run(cwd, ['run', sopFile, 'x', '--workspace', 'out'], { MCP_NODE: process.execPath });
    expect(missing.stderr).not.toMatch(STACK_LINE);
    expect(missing.code).toBe(11);
    expect(missing.stderr).toContain('environment variable MCP_HOME is not set (used by `mcp_servers.calc.cwd`');
    const given = await run(cwd, ['run', sopFile, 'what is 2 + 3?', '--workspace', 'out'], { MCP_NODE: process.execPath, MCP_HOME: serverHome });
    expect(given.code, given.stderr).toBe(0);
    const ends = lastRun(cwd).events.filter((event) => event.type === 'tool-call-end' && String(event.tool).startsWith('calc.'));
    expect(ends.map((event) => [event.tool, event.ok])).toEqual([['calc.add', true], ['calc.word_count', true]]);
  });

  it('an MCP server that cannot start fails the run at its declaration (exit 9, file:line:col), the record kept for a resume', async () => {
    const cwd = project();
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(sopFile, readFileSync(SOP, 'utf8').replace('command: [node, ../../support/mcp/test-server.mjs]', 'command: [no-such-mcp-server-program]'));
    const result = await run(cwd, ['run', sopFile, 'x', '--workspace', 'out'], {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(9);
    // `calc:` is on line 14 of the fixture, indented two spaces.
    expect(result.stderr).toContain(`error MCP_SERVER_FAILED: ${sopFile}:14:3: MCP server "calc": cannot connect`);
    expect(result.stderr).toContain('hint: is `no-such-mcp-server-program` installed and on PATH? `no-such-mcp-server-program` is started from ');
    const { dir, report } = lastRun(cwd);
    expect(report).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(readResumePoint(dir).checkpoint).toMatchObject({ status: 'failed' });
  });
});
