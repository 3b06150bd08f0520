import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText, warnings } from './helpers.js';

afterAll(cleanTempDirs);

const sopWith = (head: string, tools: string, extra = ''): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: tools, version: 1.0.0 }
${head}messages:
  Idea: {}
  Notes: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write notes"
        output: { type: Notes }
        tools: ${tools}
stop_when: { type: Notes }
${extra}`;

const located = (text: string, result: Awaited<ReturnType<typeof validateText>>) =>
  errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column]);

describe('tool references', () => {
  test('built-ins, declared tools and allowed MCP tools are known; everything else is TOOL_UNKNOWN at the name, with a suggestion', async () => {
    const head = `settings: { tools: { shell: { allow: [python3] }, http: { allow_hosts: [api.github.com] } } }
tools:
  word_count:
    description: Count words
    parameters: { type: object, properties: { path: { type: string } } }
    command: { command: [wc, -w, "{{ args.path }}"] }
mcp_servers:
  docs: { command: [node, server.mjs], allowed_tools: [search] }
`;
    const text = sopWith(head, '[fs.read, fs.wirte, shell, http.get, word_count, docs.search, docs.*, docs.fetch, notes.x]');
    const result = await validateText(text);
    expect(located(text, result)).toEqual([
      ['TOOL_UNKNOWN', '/roles/writer/actions/0/tools/1', ...Object.values(positionOf(text, 'fs.wirte'))],
      ['TOOL_UNKNOWN', '/roles/writer/actions/0/tools/7', ...Object.values(positionOf(text, 'docs.fetch'))],
      ['TOOL_UNKNOWN', '/roles/writer/actions/0/tools/8', ...Object.values(positionOf(text, 'notes.x'))],
    ]);
    expect(errors(result)[0]?.hint).toContain('fs.write');
    expect(errors(result)[1]?.message).toBe('MCP server `docs` does not allow tool `fetch`');
  });

  test('shell without an allow-list and http.get without hosts are errors; a name listed twice is a warning', async () => {
    const text = sopWith('', '[shell, http.get, fs.read, fs.read]');
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([
      ['TOOL_UNKNOWN', '`shell` is offered but no program is allowed'],
      ['TOOL_UNKNOWN', '`http.get` is offered but no host is allowed'],
    ]);
    expect(warnings(result).map((diagnostic) => diagnostic.pointer)).toContain('/roles/writer/actions/0/tools/3');
  });

  test('an allow-list entry that runs anything is a warning', async () => {
    const text = sopWith('settings: { tools: { shell: { allow: [python3, bash] } } }\n', '[shell]');
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(warnings(result)).toEqual([expect.objectContaining({ code: 'TOOL_UNSAFE', pointer: '/settings/tools/shell/allow/1', ...positionOf(text, 'bash') })]);
  });

  test('tools on a command action are refused', async () => {
    const text = sopWith('', '[fs.read]').replace('prompt: "Write notes"', 'run: { command: [echo, hi] }');
    const result = await validateText(text);
    expect(errors(result)).toEqual([expect.objectContaining({ code: 'SCHEMA_VIOLATION', pointer: '/roles/writer/actions/0/tools' })]);
  });
});

describe('declared tools and MCP servers', () => {
  test('exactly one of command and http; parameters must describe an object; templates see only `args`', async () => {
    const head = `tools:
  nothing: { description: Does nothing }
  both:
    description: Both
    command: { command: [echo] }
    http: { url: "https://example.com/x" }
  listy:
    description: Bad parameters
    parameters: { type: array }
    command: { command: [echo] }
  leaky:
    description: Reads inputs
    command: { command: [echo, "{{ inputs.idea }}", "{{ args.text }}"] }
`;
    const text = sopWith(head, '[nothing]');
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['SCHEMA_MISSING_FIELD', '/tools/nothing'],
      ['SCHEMA_VIOLATION', '/tools/both/http'],
      ['SCHEMA_VIOLATION', '/tools/listy/parameters'],
      ['TEMPLATE_VARIABLE_UNKNOWN', '/tools/leaky/command/command/1'],
    ]);
    expect(errors(result)[3]?.message).toContain('inputs');
  });

  test('an HTTP tool URL must start with a literal origin (schema pattern)', async () => {
    const head = `tools:
  fetch:
    description: Fetch
    http: { url: "{{ args.url }}" }
`;
    const result = await validateText(sopWith(head, '[fetch]'));
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([['SCHEMA_PATTERN', '/tools/fetch/http/url']]);
  });

  test('MCP servers: one of command and url, fields in their place, well-formed env references, no built-in names', async () => {
    const head = `mcp_servers:
  both: { command: [node, s.mjs], url: "http://127.0.0.1:1/mcp" }
  neither: { allowed_tools: [x] }
  misplaced: { url: "http://127.0.0.1:1/mcp", env: { A: b } }
  badref: { command: [node], env: { TOKEN: "\${env:NOT-A-NAME}" } }
`;
    const result = await validateText(sopWith(head, '[fs.read]'));
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual(
      expect.arrayContaining([
        ['SCHEMA_VIOLATION', '/mcp_servers/both/url'],
        ['SCHEMA_MISSING_FIELD', '/mcp_servers/neither'],
        ['SCHEMA_VIOLATION', '/mcp_servers/misplaced/env'],
        ['SCHEMA_PATTERN', '/mcp_servers/badref/env/TOKEN'],
      ]),
    );
    const builtinName = await validateText(sopWith('mcp_servers:\n  fs: { command: [node] }\n', '[fs.read]'));
    expect(errors(builtinName).map((diagnostic) => diagnostic.pointer)).toEqual(['/mcp_servers/fs']);
  });
});

describe('gate checks', () => {
  test('a `matches` regex that does not compile, length.min above max, then beside route', async () => {
    const text = sopWith('', '[]').replace(
      '        tools: []\n',
      `        gates:
          - { matches: "(?i)title" }
          - { length: { min: 10, max: 5 } }
          - { assert: "true", on_fail: { revise: 1, route: Idea, then: warn } }
`,
    );
    const result = await validateText(text);
    expect(errors(result).map((diagnostic) => [diagnostic.code, diagnostic.pointer])).toEqual([
      ['SCHEMA_PATTERN', '/roles/writer/actions/0/gates/0/matches'],
      ['SCHEMA_VIOLATION', '/roles/writer/actions/0/gates/1/length/min'],
      ['SCHEMA_VIOLATION', '/roles/writer/actions/0/gates/2/on_fail/then'],
    ]);
  });
});
