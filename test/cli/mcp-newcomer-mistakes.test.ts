import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { officialServerScript } from '../support/mcp/official-servers.js';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A folder holding `sop.yaml` with `text`. */
function sopFolder(text: string): string {
  const cwd = tempDir('sop-mcp-newcomer-');
  writeFileSync(path.join(cwd, 'sop.yaml'), text);
  return cwd;
}

const SHELL_SYNTAX_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: shell-syntax, version: 1.0.0, requires: ">=0.2 <1" }
messages:
  Ask: { description: a question }
  Answer: { description: the answer }
start: [{ type: Ask, content: "{{ inputs.idea }}" }]
tools:
  issue:
    description: Fetch an issue
    parameters: { type: object, additionalProperties: false, required: [n], properties: { n: { type: integer } } }
    http:
      url: "https://api.github.com/issues/{{ args.n }}"
      headers: { Authorization: "Bearer $GH_TOKEN" }
mcp_servers:
  files:
    command: [node, server.mjs]
    env: { API_TOKEN: "\${NOTES_TOKEN}", GOOD: "\${env:NOTES_TOKEN}" }
  wrapped:
    command: [sh, -c, "exec node server.mjs --token $NOTES_TOKEN"]
roles:
  helper:
    profile: Helper
    watch: [Ask]
    actions:
      - { id: answer, prompt: "{{ message.content }}", tools: [files.*, issue], output: { type: Answer } }
stop_when: { type: Answer }
`;

describe('a shell\'s ${NAME} or $NAME where sop reads ${env:NAME}', () => {
  // The server got the text `${NOTES_TOKEN}` as its token, and the request `Bearer $GH_TOKEN`:
  // `sop validate` said "valid", the run said nothing, and the token never arrived.
  it('sop validate warns ENV_NOT_EXPANDED at each value, with the ${env:NAME} to write; ${env:NAME} itself, and $NAME in the code of a shell started as the server, are not warned of', async () => {
    const cwd = sopFolder(SHELL_SYNTAX_SOP);
    const result = await sop(['validate', 'sop.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain('sop.yaml:14:33: warning ENV_NOT_EXPANDED: `$GH_TOKEN` is sent as written: sop reads an environment variable only as `${env:GH_TOKEN}`');
    expect(result.stdout).toContain('hint: write `${env:GH_TOKEN}` (read when the run starts; no shell starts the server or sends the request, so `$GH_TOKEN` and `${GH_TOKEN}` are not read)');
    expect(result.stdout).toContain('sop.yaml:18:23: warning ENV_NOT_EXPANDED: `${NOTES_TOKEN}` is sent as written: sop reads an environment variable only as `${env:NOTES_TOKEN}`');
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 2 warnings');
  });
});

/** The official filesystem server, started from node_modules, with `tools` and `allowed_tools` as given. */
function filesServerSop(allowed: string, tools: string): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: files-typo, version: 1.0.0, requires: ">=0.2 <1" }
messages:
  Ask: { description: a question }
  Findings: { description: what the files say }
start: [{ type: Ask, content: "{{ inputs.idea }}" }]
mcp_servers:
  files:
    command: [node, ${JSON.stringify(officialServerScript('server-filesystem'))}, "."]
    cwd: data
${allowed}
roles:
  researcher:
    profile: Researcher
    watch: [Ask]
    actions:
      - { id: research, prompt: "{{ message.content }}", tools: ${tools}, output: { type: Findings } }
stop_when: { type: Findings }
`;
}

describe('an MCP tool name the server does not list (`sop validate` checks it against `allowed_tools` only)', () => {
  // Was: `error TOOL_UNKNOWN: action research: MCP server "files" offers no tool "read_txt_file"`,
  // `hint: it offers: files.list_directory`, with no place: read as if the server had no tool to read files.
  it('misspelt in the action and in allowed_tools: named at the action\'s `tools` entry (it was the server\'s declaration), with the nearest name the server lists and both places to correct, exit 3', async () => {
    const cwd = sopFolder(filesServerSop('    allowed_tools: [read_txt_file, list_directory]', '[files.read_txt_file, files.list_directory]'));
    mkdirSync(path.join(cwd, 'data'));
    const result = await sop(['run', 'sop.yaml', 'sales', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error TOOL_UNKNOWN: sop.yaml:18:66: MCP server "files" lists no tool `read_txt_file`, which action `research` (role `researcher`) offers and its `allowed_tools` names\n');
    expect(result.stderr).toMatch(/^ {2}hint: did you mean `read_text_file`\? the server lists: create_directory, .*\bread_text_file, .*; correct `files\.read_txt_file` in the action's `tools` and `read_txt_file` in `allowed_tools`$/m);
  });

  it('without allowed_tools: the same, naming the action\'s tools only', async () => {
    const cwd = sopFolder(filesServerSop('', '[files.list_directry]'));
    mkdirSync(path.join(cwd, 'data'));
    const result = await sop(['run', 'sop.yaml', 'sales', '--ci', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    const error = JSON.parse(result.stdout).error as { code: string; message: string; hint: string };
    expect(error.code).toBe('TOOL_UNKNOWN');
    expect(error.message).toBe('sop.yaml:18:66: MCP server "files" lists no tool `list_directry`, which action `research` (role `researcher`) offers');
    expect(error.hint).toMatch(/^did you mean `list_directory`\? the server lists: .*; correct `files\.list_directry` in the action's `tools`$/);
  });
});

describe('an `allowed_tools` entry the server does not list, with `server.*` in the action', () => {
  // Was: the run completed, `files.*` offering list_directory alone: the misspelt tool was silently missing.
  it('is TOOL_UNKNOWN at the entry, with the nearest name the server lists, before any model call, exit 3', async () => {
    const cwd = sopFolder(filesServerSop('    allowed_tools: [list_directory, read_txt_file]', '[files.*]'));
    mkdirSync(path.join(cwd, 'data'));
    const result = await sop(['run', 'sop.yaml', 'sales', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error TOOL_UNKNOWN: sop.yaml:12:37: MCP server "files" lists no tool `read_txt_file`, which its `allowed_tools` names\n');
    expect(result.stderr).toMatch(/^ {2}hint: did you mean `read_text_file`\? the server lists: create_directory, .*\bread_text_file, .*; correct `read_txt_file` in `allowed_tools`, or remove it$/m);
    expect(result.stderr).toContain('status: failed in round 1 (0 rounds completed)');
  });
});

describe('a misspelt MCP server name in a script\'s tool call', () => {
  // Was: no warning; the run answered the call as one to an unknown tool, and the step the script describes never happened.
  it('sop validate --script warns ANSWER_MISFIT at the call\'s tool, with the server name the action offers', async () => {
    const cwd = sopFolder(filesServerSop('', '[files.*]'));
    writeFileSync(
      path.join(cwd, 'answers.yaml'),
      'apiVersion: sop-script/v1\nanswers:\n  - role: researcher\n    action: research\n    tools: [{ tool: flies.list_directory, args: { path: . } }]\n    output: done\n',
    );
    const result = await sop(['validate', 'sop.yaml', '--script', 'answers.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      'answers.yaml:5:21: warning ANSWER_MISFIT: this answer calls tool `flies.list_directory`, which action `research` does not offer (did you mean `files.list_directory`?): the run answers the call as one to an unknown tool',
    );
  });

  // Was: at the answer's first call (\`answers.yaml:5:7\`), whatever call was misspelt: in a script of
  // ten calls the warning pointed at a correct one.
  it('a script of several calls: the warning is at the misspelt call\'s own line, not the first call', async () => {
    const cwd = sopFolder(filesServerSop('', '[files.*, fs.read]'));
    writeFileSync(
      path.join(cwd, 'answers.yaml'),
      'apiVersion: sop-script/v1\nanswers:\n  - role: researcher\n    action: research\n    tools:\n      - { tool: fs.read, args: { path: a.md } }\n      - { tool: files.list_directory, args: { path: . } }\n      - { tool: fs_raed, args: { path: b.md } }\n    output: done\n',
    );
    const result = await sop(['validate', 'sop.yaml', '--script', 'answers.yaml'], { cwd });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('answers.yaml:8:17: warning ANSWER_MISFIT: this answer calls tool `fs_raed`, which action `research` does not offer');
    expect(result.stdout).toContain('  > 8 |       - { tool: fs_raed, args: { path: b.md } }');
  });
});

/** What `npx -y @modelcontextprotocol/server-filesystm .` (a misspelt package) writes on stderr before it exits 1. */
const NPX_404 = `npm error code E404
npm error 404 Not Found - GET https://registry.npmjs.org/@modelcontextprotocol%2fserver-filesystm - Not found
npm error 404
npm error 404  '@modelcontextprotocol/server-filesystm@*' is not in this registry.
npm error 404
npm error 404 Note that you can also install from a
npm error 404 tarball, folder, http url, or git url.
npm error A complete log of this run can be found in: /home/me/.npm/_logs/2026-12-06T20_32_24_087Z-debug-0.log
`;

describe('an MCP server started with npx that npm cannot start', () => {
  // Was: `... stopped: npm error A complete log of this run can be found in: ...`, and the hint to run
  // the command to see its output: the one line quoted was the one that says nothing.
  it('a misspelt package: npm\'s 404 line, and the hint names the package to check in the command, exit 9', async () => {
    const cwd = sopFolder(SHELL_SYNTAX_SOP.replace('command: [node, server.mjs]', 'command: [node, fake-npx.mjs, -y, "@modelcontextprotocol/server-filesystm"]').replace(/ {4}env: .*\n/, '').replace(/^tools:\n(?: {2}.*\n)+/m, '').replace('tools: [files.*, issue]', 'tools: [files.*]'));
    writeFileSync(path.join(cwd, 'fake-npx.mjs'), `process.stderr.write(${JSON.stringify(NPX_404)});\nprocess.exit(1);\n`);
    const result = await sop(['run', 'sop.yaml', 'sales', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error MCP_SERVER_FAILED: sop.yaml:9:3: MCP server "files": cannot connect: `node fake-npx.mjs -y @modelcontextprotocol/server-filesystm` stopped: npm error 404 Not Found - GET https://registry.npmjs.org/@modelcontextprotocol%2fserver-filesystm - Not found\n');
    expect(result.stderr).toContain("  hint: the npm registry has no package @modelcontextprotocol/server-filesystm: check its name in the server's `command` (`node fake-npx.mjs -y @modelcontextprotocol/server-filesystm`)\n");
    expect(result.stderr).not.toContain('A complete log');
  });
});

describe('an MCP server whose program is not installed', () => {
  // Was: `cannot connect: spawn nodejs-missing ENOENT`, with the hint to check that it starts an MCP server.
  it('says the command was not found, and how a program is found and an npm package started, exit 9', async () => {
    const cwd = sopFolder(SHELL_SYNTAX_SOP.replace('command: [node, server.mjs]', 'command: [nodejs-missing, server.mjs]').replace(/ {4}env: .*\n/, '').replace(/^tools:\n(?: {2}.*\n)+/m, '').replace('tools: [files.*, issue]', 'tools: [files.*]'));
    const result = await sop(['run', 'sop.yaml', 'sales', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error MCP_SERVER_FAILED: sop.yaml:9:3: MCP server "files": cannot connect: cannot start `nodejs-missing`: command not found\n');
    expect(result.stderr).toContain(`  hint: is \`nodejs-missing\` installed and on PATH? \`nodejs-missing server.mjs\` is started from ${cwd} without a shell (no aliases or shell functions); an npm package runs as \`command: [npx, -y, PACKAGE]\`\n`);
  });
});
