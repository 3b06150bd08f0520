import { afterAll, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/errors/index.js';
import { cleanTempDirs, errors, positionOf, validateText, warnings } from './helpers.js';

afterAll(cleanTempDirs);

/** An SOP whose one action offers `tools`; `head` goes before `messages`, `extra` after `stop_when`. */
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

/** [code, pointer, line, column] of each diagnostic. */
const located = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column]);
/** [code, pointer, line, column] expected at the `occurrence`-th `needle` of `text`. */
const at = (code: string, pointer: string, text: string, needle: string, occurrence = 1) => {
  const { line, column } = positionOf(text, needle, occurrence);
  return [code, pointer, line, column];
};

const DECLARED = `settings: { tools: { shell: { allow: [python3] }, http: { allow_hosts: [api.github.com] } } }
tools:
  word_count:
    description: Count words
    parameters: { type: object, required: [path], properties: { path: { type: string } } }
    command: { command: [wc, -w, "{{ args.path }}"] }
  issue:
    description: Fetch an issue
    parameters: { type: object, required: [number], properties: { number: { type: integer } } }
    http: { url: "https://api.github.com/repos/acme/app/issues/{{ args.number }}", headers: { X-Number: "{{ args.number }}" }, method: POST, body: "{{ args.number }}" }
mcp_servers:
  docs: { command: [node, server.mjs], allowed_tools: [search] }
  wiki: { url: "http://127.0.0.1:1/mcp" }
`;

describe('tool-references', () => {
  test('built-ins, declared tools and MCP tools are known: a valid SOP has no diagnostics', async () => {
    const result = await validateText(sopWith(DECLARED, '[fs.read, fs.write, fs.list, fs.search, shell, http.get, word_count, issue, docs.search, docs.*, wiki.anything]'));
    expect(result.diagnostics).toEqual([]);
  });

  test('an unknown name is TOOL_UNKNOWN at the entry, with the known names and a suggestion', async () => {
    const text = sopWith(DECLARED, '[fs.read, fs.wirte, word_cont, docs.fetch, notes.x]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('TOOL_UNKNOWN', '/roles/writer/actions/0/tools/1', text, 'fs.wirte'),
      at('TOOL_UNKNOWN', '/roles/writer/actions/0/tools/2', text, 'word_cont'),
      at('TOOL_UNKNOWN', '/roles/writer/actions/0/tools/3', text, 'docs.fetch'),
      at('TOOL_UNKNOWN', '/roles/writer/actions/0/tools/4', text, 'notes.x'),
    ]);
    const [typo, declared, notAllowed, noServer] = errors(result);
    expect(typo).toMatchObject({ message: 'no tool `fs.wirte`', hint: 'did you mean `fs.write`?' });
    expect(typo?.expected).toMatch(/^a tool: docs\.\*, fs\.list, fs\.read, fs\.search, fs\.write, .*word_count/);
    expect(typo?.expected).toContain('docs.*');
    expect(declared?.hint).toBe('did you mean `word_count`?');
    expect(notAllowed).toMatchObject({ message: 'MCP server `docs` does not allow tool `fetch`', expected: 'one of its allowed_tools: search' });
    expect(noServer?.hint).toContain('mcp_servers');
  });

  test('a misspelt MCP server name (`dosc.search`, `wikki.*`) is TOOL_UNKNOWN at the entry, with the nearest declared server in the hint', async () => {
    const text = sopWith(DECLARED, '[dosc.search, wikki.*, fs.reed]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('TOOL_UNKNOWN', '/roles/writer/actions/0/tools/0', text, 'dosc.search'),
      at('TOOL_UNKNOWN', '/roles/writer/actions/0/tools/1', text, 'wikki.*'),
      at('TOOL_UNKNOWN', '/roles/writer/actions/0/tools/2', text, 'fs.reed'),
    ]);
    const [server, wildcard, builtin] = errors(result);
    expect(server).toMatchObject({ message: 'no tool `dosc.search`: no MCP server `dosc`', expected: 'a server under mcp_servers: docs, wiki', hint: 'did you mean `docs.search`?' });
    expect(wildcard).toMatchObject({ message: 'no tool `wikki.*`: no MCP server `wikki`', hint: 'did you mean `wiki.*`?' });
    // Not a server's name: a built-in's typo keeps its own hint.
    expect(builtin).toMatchObject({ message: 'no tool `fs.reed`', hint: 'did you mean `fs.read`?' });
  });

  test('`shell` without an allow-list and `http.get` without hosts are TOOL_INVALID; a name listed twice is a warning', async () => {
    const text = sopWith('', '[shell, http.get, fs.read, fs.read]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('TOOL_INVALID', '/roles/writer/actions/0/tools/0', text, 'shell'),
      at('TOOL_INVALID', '/roles/writer/actions/0/tools/1', text, 'http.get'),
    ]);
    expect(errors(result)[0]).toMatchObject({ message: '`shell` is offered but no program is allowed', expected: expect.stringContaining('allow: [program, ...]') });
    expect(errors(result)[1]?.expected).toContain('allow_hosts');
    expect(located(warnings(result))).toEqual([at('DUPLICATE_ID', '/roles/writer/actions/0/tools/3', text, 'fs.read', 2)]);
  });

  test('tools on a command action are refused at `tools`; `max_tool_calls` without tools is a warning', async () => {
    const text = sopWith('', '[fs.read]')
      .replace('prompt: "Write notes"', 'run: { command: [echo, hi] }')
      .replace('stop_when', `      - id: other
        prompt: "More"
        output: { type: Notes }
        max_tool_calls: 3
stop_when`);
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([at('SCHEMA_VIOLATION', '/roles/writer/actions/0/tools', text, 'tools: [fs.read]')]);
    expect(errors(result)[0]?.message).toBe('action `write` runs a command: no model is there to call tools');
    expect(located(warnings(result))).toEqual([at('TOOL_INVALID', '/roles/writer/actions/1/max_tool_calls', text, 'max_tool_calls')]);
  });
});

describe('tool-declarations', () => {
  test('exactly one of `command` and `http`; no built-in name', async () => {
    const head = `settings: { tools: { shell: { allow: [python3] } } }
tools:
  nothing: { description: Does nothing }
  both:
    description: Both
    command: { command: [echo] }
    http: { url: "https://example.com/x" }
  shell: { description: Mine, command: { command: [echo] } }
`;
    const text = sopWith(head, '[nothing]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('SCHEMA_MISSING_FIELD', '/tools/nothing', text, 'nothing:'),
      at('SCHEMA_VIOLATION', '/tools/both/http', text, 'http:'),
      at('DUPLICATE_ID', '/tools/shell', text, 'shell: { description'),
    ]);
    expect(errors(result)[0]?.expected).toContain('exactly one of `command`');
  });

  test('parameters must compile (located inside the schema) and describe an object', async () => {
    const head = `tools:
  listy:
    description: Bad type
    parameters: { type: array }
    command: { command: [echo] }
  untyped:
    description: No type
    parameters: { properties: { a: { type: string } } }
    command: { command: [echo] }
  typo:
    description: Bad inner type
    parameters: { type: object, properties: { n: { type: integr } } }
    command: { command: [echo] }
  keyword:
    description: Unknown keyword
    parameters: { type: object, propertees: { n: { type: string } } }
    command: { command: [echo] }
`;
    const text = sopWith(head, '[listy]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('SCHEMA_VIOLATION', '/tools/listy/parameters/type', text, 'array'),
      at('SCHEMA_VIOLATION', '/tools/untyped/parameters', text, '{ properties'),
      at('PAYLOAD_SCHEMA_INVALID', '/tools/typo/parameters/properties/n/type', text, 'integr'),
      at('PAYLOAD_SCHEMA_INVALID', '/tools/keyword/parameters/propertees', text, 'propertees'),
    ]);
    const [listy, untyped, typo, keyword] = errors(result);
    expect(listy).toMatchObject({ message: 'the parameters of tool `listy` must describe an object', expected: '`type: object` with `properties`' });
    expect(untyped?.hint).toContain('add `type: object`');
    expect(typo).toMatchObject({ message: 'invalid parameters schema for tool `typo` at /properties/n/type: `integr` is not allowed here', hint: 'did you mean `integer`?' });
    expect(keyword?.hint).toBe('did you mean `properties`?');
  });

  test('an HTTP tool URL must start with a literal, valid origin', async () => {
    const head = `tools:
  templated:
    description: Server chosen by the model
    http: { url: "https://{{ args.host }}/x" }
  spaced:
    description: Not a host
    http: { url: "https://api github.com/x" }
`;
    const text = sopWith(head, '[templated]');
    const result = await validateText(text);
    // The schema's pattern refuses a template in the origin; the rules still check the other tool (all at once).
    expect(located(errors(result))).toEqual([
      at('SCHEMA_PATTERN', '/tools/templated/http/url', text, '"https://{{'),
      at('SCHEMA_PATTERN', '/tools/spaced/http/url', text, '"https://api github'),
    ]);
    const fixed = text.replace('https://{{ args.host }}/x', 'https://example.com/x');
    const second = await validateText(fixed);
    expect(located(errors(second))).toEqual([at('SCHEMA_PATTERN', '/tools/spaced/http/url', fixed, '"https://api github')]);
    expect(errors(second)[0]?.message).toBe('the URL of a tool must start with a literal origin: `https://api github.com` is not a valid origin');
  });
});

describe('templates of declared tools and human prompts', () => {
  test('a tool template sees only `args`, and only its declared parameters', async () => {
    const head = `tools:
  leaky:
    description: Reads inputs
    parameters: { type: object, properties: { text: { type: string } } }
    command: { command: [echo, "{{ inputs.idea }}", "{{ args.txt }}", "{{ args.text }}"] }
  open:
    description: Any argument
    parameters: { type: object, additionalProperties: true }
    command: { command: [echo, "{{ args.whatever }}"] }
`;
    const text = sopWith(head, '[leaky, open]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('TEMPLATE_VARIABLE_UNKNOWN', '/tools/leaky/command/command/1', text, 'inputs.idea }}",'),
      at('TEMPLATE_VARIABLE_UNKNOWN', '/tools/leaky/command/command/2', text, 'args.txt'),
    ]);
    const [inputs, typo] = errors(result);
    expect(inputs).toMatchObject({ message: 'unknown variable `inputs` in a declared tool', expected: 'available in a declared tool: args, vars' });
    expect(typo).toMatchObject({ message: 'tool `leaky` has no parameter `txt`', hint: 'did you mean `text`?' });
  });

  test('`human.prompt` sees the output and the message, not `feedback` or `args`', async () => {
    const gates = `        gates:
          - human: { prompt: "Review {{ output }} ({{ payload }}) for {{ message.content }} {{ inputs.idea }}" }
          - human: { prompt: "{{ feedback }} {{ args.x }}" }
`;
    const text = sopWith('', '[]').replace('        tools: []\n', gates);
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('TEMPLATE_VARIABLE_UNKNOWN', '/roles/writer/actions/0/gates/1/human/prompt', text, 'feedback }}'),
      at('TEMPLATE_VARIABLE_UNKNOWN', '/roles/writer/actions/0/gates/1/human/prompt', text, 'args.x'),
    ]);
    expect(errors(result)[0]?.message).toBe('unknown variable `feedback` in `human.prompt`');
  });
});

describe('mcp-servers', () => {
  test('one of command and url, fields in their place, well-formed env references', async () => {
    const head = `mcp_servers:
  both: { command: [node, s.mjs], url: "http://127.0.0.1:1/mcp" }
  neither: { allowed_tools: [x] }
  remote: { url: "http://127.0.0.1:1/mcp", env: { A: b }, cwd: tools, headers: { Authorization: "Bearer \${env:TOKEN}" } }
  local: { command: [node], headers: { A: b }, env: { TOKEN: "\${env:NOT-A-NAME}", OK: "\${env:MY_TOKEN_2}", EMPTY: "x\${env:}", OPEN: "\${env:TOKEN" } }
`;
    const text = sopWith(head, '[fs.read]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('SCHEMA_VIOLATION', '/mcp_servers/both/url', text, 'url: "http://127.0.0.1:1/mcp" }'),
      at('SCHEMA_MISSING_FIELD', '/mcp_servers/neither', text, 'neither'),
      at('SCHEMA_VIOLATION', '/mcp_servers/remote/env', text, 'env: { A'),
      at('SCHEMA_VIOLATION', '/mcp_servers/remote/cwd', text, 'cwd'),
      at('SCHEMA_VIOLATION', '/mcp_servers/local/headers', text, 'headers: { A: b'),
      at('SCHEMA_PATTERN', '/mcp_servers/local/env/TOKEN', text, '"${env:NOT'),
      at('SCHEMA_PATTERN', '/mcp_servers/local/env/EMPTY', text, '"x${env:}"'),
      at('SCHEMA_PATTERN', '/mcp_servers/local/env/OPEN', text, '"${env:TOKEN"'),
    ]);
    expect(errors(result)[7]?.message).toBe('`${env:TOKEN` is not a valid environment reference (no closing `}`)');
    expect(errors(result)[1]?.expected).toContain('`command: [program, args...]` (stdio) or `url: http://host/mcp`');
    expect(errors(result)[5]?.message).toBe('`${env:NOT-A-NAME}` is not a valid environment reference');
  });

  test('${env:NAME} in a stdio server\'s `command` and `cwd` is well-formed or a located error', async () => {
    const head = `mcp_servers:
  local: { command: ["\${env:NODE_BIN}", "\${env:BAD-NAME}/server.mjs"], cwd: "\${env:TOOLS" }
  fine: { command: ["\${env:NODE_BIN}", server.mjs], cwd: "\${env:TOOLS_HOME}/mcp" }
`;
    const text = sopWith(head, '[fs.read]');
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('SCHEMA_PATTERN', '/mcp_servers/local/command/1', text, '"${env:BAD'),
      at('SCHEMA_PATTERN', '/mcp_servers/local/cwd', text, '"${env:TOOLS"'),
    ]);
  });

  test('a server may not take a built-in name (schema)', async () => {
    const text = sopWith('mcp_servers:\n  fs: { command: [node] }\n', '[fs.read]');
    const result = await validateText(text);
    expect(located(errors(result)).map(([code, pointer]) => [code, pointer])).toEqual([[expect.any(String), '/mcp_servers/fs']]);
  });
});

describe('tool-safety', () => {
  test('an allow-list entry that runs anything is a TOOL_UNSAFE warning, and not an error', async () => {
    const text = sopWith('settings: { tools: { shell: { allow: [python3, bash, env, xargs, node] } } }\n', '[shell]');
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(located(warnings(result))).toEqual([
      at('TOOL_UNSAFE', '/settings/tools/shell/allow/1', text, 'bash'),
      at('TOOL_UNSAFE', '/settings/tools/shell/allow/2', text, 'env'),
      at('TOOL_UNSAFE', '/settings/tools/shell/allow/3', text, 'xargs'),
    ]);
    expect(warnings(result)[0]?.message).toBe('allowing `bash` lets the model run any command');
  });

  test('model-written text as the program or as interpreter code is a warning; as its own argv entry, or user input, it is not', async () => {
    const head = `tools:
  grep_notes:
    description: Grep
    parameters: { type: object, required: [q], properties: { q: { type: string } } }
    command: { command: [sh, -c, "grep {{ args.q }} notes.md"] }
  safe_grep:
    description: Grep, safely
    parameters: { type: object, required: [q], properties: { q: { type: string } } }
    command: { command: [sh, -c, 'grep -- "$1" notes.md', sh, "{{ args.q }}"] }
  chooser:
    description: Runs what the model says
    parameters: { type: object, required: [program], properties: { program: { type: string } } }
    command: { command: ["{{ args.program }}"] }
  evaluator:
    description: Evaluates
    parameters: { type: object, required: [code], properties: { code: { type: string } } }
    command: { command: [python3, -c, "print({{ args.code }})"] }
`;
    const gates = `        gates:
          - command: { command: [sh, -c, "echo {{ output }} | wc -w"] }
          - command: { command: [node, -e, "process.exit(0)", "{{ output }}"] }
      - id: build
        run: { command: [sh, -c, "make {{ inputs.idea }}"] }
        output: { type: Notes }
`;
    const text = sopWith(head, '[grep_notes, safe_grep, chooser, evaluator]').replace('stop_when', `${gates}stop_when`);
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(located(warnings(result))).toEqual([
      at('TOOL_UNSAFE', '/tools/grep_notes/command/command/2', text, '"grep {{'),
      at('TOOL_UNSAFE', '/tools/chooser/command/command/0', text, '"{{ args.program'),
      at('TOOL_UNSAFE', '/tools/evaluator/command/command/2', text, '"print('),
      at('TOOL_UNSAFE', '/roles/writer/actions/0/gates/0/command/command/2', text, '"echo {{'),
    ]);
    expect(warnings(result).map((warning) => warning.message)).toEqual([
      'text a model wrote becomes sh code here',
      'the program to run is chosen by text a model wrote',
      'text a model wrote becomes python3 code here',
      'text a model wrote becomes sh code here',
    ]);
  });
});

describe('gate-checks', () => {
  const withGates = (gates: string, extra = '') => sopWith('', '[]').replace('        tools: []\n', `        gates:\n${gates}`).replace('stop_when', `${extra}stop_when`);

  test('a `matches` regex that does not compile, `length.min` above `max`, `then` beside `route`', async () => {
    const text = withGates(`          - { matches: "(?<!#)title" }
          - { matches: "^# [A-Z]" }
          - { length: { min: 10, max: 5 } }
          - { assert: "true", on_fail: { revise: 1, route: Idea, then: warn } }
`);
    const result = await validateText(text);
    expect(located(errors(result))).toEqual([
      at('SCHEMA_PATTERN', '/roles/writer/actions/0/gates/0/matches', text, '"(?<!'),
      at('SCHEMA_VIOLATION', '/roles/writer/actions/0/gates/2/length/min', text, '10'),
      at('SCHEMA_VIOLATION', '/roles/writer/actions/0/gates/3/on_fail/then', text, 'then'),
    ]);
    expect(errors(result)[0]?.message).toMatch(/^`matches` is not a valid regular expression: \S/);
    expect(errors(result)[0]?.hint).toBe('RE2 has no lookaround or backreferences (they can take exponential time): match the text itself, or use a CEL `assert`');
    expect(errors(result)[1]?.message).toBe('`length.min` (10) is above `length.max` (5)');
  });

  test('judge gates (also on a command action) and human gates that route are valid', async () => {
    const text = withGates(
      `          - name: clear
            judge: { rubric: "Clear and short", min_score: 8 }
          - human: { prompt: "Approve?", enabled: "inputs.idea != ''" }
            on_fail: { revise: 1, route: Idea }
          - { length: { min: 1, max: 100 } }
          - { contains: [Notes, "##"] }
`,
      `      - id: check
        run: { command: [echo, ok] }
        output: { type: Notes }
        gates:
          - judge: { rubric: "Says ok" }
`,
    );
    const result = await validateText(text);
    expect(result.diagnostics.filter((diagnostic) => diagnostic.code !== 'MESSAGE_UNWATCHED')).toEqual([]);
  });
});

describe('${env:NAME} outside mcp_servers', () => {
  test('a command\'s env or a declared tool\'s body with ${env:NAME} warns ENV_NOT_EXPANDED at the value (it is sent as written); a declared tool\'s header reads it', async () => {
    const extra = `tools:
  fetch_page:
    description: Fetch a page
    http: { url: "https://api.github.com/x", headers: { Authorization: "Bearer \${env:GH_TOKEN}" }, body: "\${env:GH_TOKEN}" }
`;
    const text = sopWith('settings: { tools: { shell: { allow: [python3] } } }\n', '[fetch_page]', extra)
      .replace('        prompt: "Write notes"', '        prompt: "Write notes"\n        precondition: { command: { command: [python3, x.py], env: { KEY: "\${env:KEY}" } } }');
    const result = await validateText(text);
    expect(errors(result)).toEqual([]);
    expect(located(warnings(result).filter((diagnostic) => diagnostic.code === 'ENV_NOT_EXPANDED'))).toEqual([
      at('ENV_NOT_EXPANDED', '/roles/writer/actions/0/precondition/command/env/KEY', text, '"${env:KEY}"'),
      at('ENV_NOT_EXPANDED', '/tools/fetch_page/http/body', text, '"${env:GH_TOKEN}"'),
    ]);
  });

  test('in mcp_servers it is read when the run starts: no warning', async () => {
    const extra = 'mcp_servers:\n  docs: { command: ["\${env:DOCS_BIN}"], env: { TOKEN: "\${env:DOCS_TOKEN}" } }\n';
    const result = await validateText(sopWith('', '[docs.search]', extra));
    expect(warnings(result).filter((diagnostic) => diagnostic.code === 'ENV_NOT_EXPANDED')).toEqual([]);
  });
});

