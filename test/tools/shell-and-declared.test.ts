import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedToolDeclaration, TemplateText } from '../../src/spec/resolved.js';
import { RISKY_ALLOW_ENTRIES, createCommandTool, createShellTool } from '../../src/tools/index.js';
import { LIMITS, outside, sandbox } from './helpers.js';

const origin = { file: 'sop.yaml', line: 1, column: 1, pointer: '', lineOffset: 0 };
const template = (text: string): TemplateText => ({ text, origin });
/** `{{ args.x }}` rendering, as strict as the SOP's engines: a missing argument is an error. */
const render = (part: TemplateText, vars: Record<string, unknown>): string =>
  part.text.replace(/\{\{\s*args\.(\w+)\s*\}\}/g, (_match, name: string) => {
    const args = vars['args'] as Record<string, unknown>;
    if (!(name in args)) throw new Error(`undefined variable: args.${name}`);
    return String(args[name]);
  });
const PRINT_ARGV = 'console.log(JSON.stringify(process.argv.slice(1)))';

describe('shell tool', () => {
  it('runs an allowed program as argv in the workspace: shell syntax in arguments stays literal', async () => {
    const { dir, workspace } = sandbox();
    const shell = createShellTool({ allow: ['node'], env: {}, workspace, limits: LIMITS });
    const result = await shell.run({ command: 'node', args: ['-e', PRINT_ARGV, '; rm -rf x', '$(touch pwned)', '`touch pwned2`'] }, {});
    expect(result).toMatchObject({ isError: false, detail: { exitCode: 0, timedOut: false } });
    expect(result.content).toContain('["; rm -rf x","$(touch pwned)","`touch pwned2`"]');
    expect(readdirSync(workspace.root)).toEqual([]);
    expect(outside(dir)).toEqual([]);
  });

  it('refuses programs off the allow-list, paths to allowed names, and shells', async () => {
    const { workspace } = sandbox();
    const shell = createShellTool({ allow: ['node'], env: {}, workspace, limits: LIMITS });
    for (const command of ['/bin/sh', 'sh', '/usr/bin/node', './node', 'bash']) {
      const result = await shell.run({ command, args: ['-c', 'touch pwned'] }, {});
      expect(result.isError, command).toBe(true);
      expect(result.content).toContain('is not an allowed program');
    }
    expect(existsSync(path.join(workspace.root, 'pwned'))).toBe(false);
    expect(RISKY_ALLOW_ENTRIES).toEqual(expect.arrayContaining(['sh', 'bash', 'env', 'xargs', 'sudo']));
  });

  it('offers the allow-list as an enum, arguments defaulting to none; runs in the workspace', async () => {
    const { workspace } = sandbox();
    const shell = createShellTool({ allow: ['node'], env: {}, workspace, limits: LIMITS });
    expect(shell.parameters).toMatchObject({ additionalProperties: false, properties: { command: { enum: ['node'] }, args: { default: [] } } });
    const result = await shell.run({ command: 'node', args: ['-e', 'console.log(process.cwd()); process.exit(3)'] }, {});
    expect(result).toMatchObject({ isError: true, detail: { exitCode: 3, timedOut: false } });
    expect(result.content).toBe(`exit code 3\n--- stdout ---\n${workspace.root}`);
  });

  it('scrubs the environment: API keys and SOP_* never reach the program; declared variables do', async () => {
    const { workspace } = sandbox();
    process.env['OPENAI_API_KEY'] = 'sk-test-SECRET-123456';
    process.env['SOP_SECRET'] = 'hidden';
    try {
      const shell = createShellTool({ allow: ['node'], env: { GREETING: 'hello' }, workspace, limits: LIMITS });
      const result = await shell.run({ command: 'node', args: ['-e', 'console.log(Object.keys(process.env).sort().join(","), process.env.GREETING)'] }, {});
      expect(result.content).not.toContain('OPENAI_API_KEY');
      expect(result.content).not.toContain('SOP_SECRET');
      expect(result.content).toContain('hello');
    } finally {
      delete process.env['OPENAI_API_KEY'];
      delete process.env['SOP_SECRET'];
    }
  });

  it('caps a huge output and kills a hanging program at the timeout', async () => {
    const { workspace } = sandbox();
    // The cap and the timeout each get their own tool: a loaded machine can take over 1 s to start node and write 5 MB.
    const shell = createShellTool({ allow: ['node'], env: {}, workspace, limits: { timeoutSeconds: 60, maxOutputBytes: 2048 } });
    const huge = await shell.run({ command: 'node', args: ['-e', 'process.stdout.write("FIRST" + "y".repeat(5_000_000)); console.log("LAST")'] }, {});
    expect(huge.isError).toBe(false);
    expect(Buffer.byteLength(huge.content)).toBeLessThanOrEqual(2048);
    expect(huge.content).toMatch(/^exit code 0\n--- stdout ---\nFIRSTy+\n\[\.\.\. \d+ bytes cut \.\.\.\]\ny+LAST$/);
    const kept = Buffer.byteLength(huge.content.replace(/^exit code 0\n--- stdout ---\n|\n\[\.\.\. \d+ bytes cut \.\.\.\]\n/g, ''));
    const cut = Number(/(\d+) bytes cut/.exec(huge.content)?.[1]);
    expect(kept + cut).toBe(5_000_000 + 'FIRST'.length + 'LAST\n'.length - 1); // the final newline is trimmed
    const impatient = createShellTool({ allow: ['node'], env: {}, workspace, limits: { timeoutSeconds: 1, maxOutputBytes: 2048 } });
    const hanging = await impatient.run({ command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'] }, {});
    expect(hanging).toMatchObject({ isError: true, detail: { timedOut: true } });
    expect(hanging.content).toContain('stopped after the 1 s timeout');
  });
});

describe('declared command tools', () => {
  const declaration = (command: string[]): ResolvedToolDeclaration => ({
    name: 'echo_args',
    description: 'Print the arguments',
    parameters: { type: 'object', properties: { text: { type: 'string' } } },
    command: { command: command.map(template), cwd: undefined, timeoutSeconds: 10, env: {} },
    http: undefined,
    pointer: '/tools/echo_args',
  });

  it('each argv template renders to exactly one argument: no splitting, no shell', async () => {
    const { dir, workspace } = sandbox();
    const tool = createCommandTool(declaration(['node', '-e', PRINT_ARGV, '{{ args.text }}']), render, { workspace, limits: LIMITS });
    const result = await tool.run({ text: 'a b; rm -rf / && touch pwned $(id)' }, {});
    expect(result).toMatchObject({ isError: false });
    expect(result.content).toBe('exit code 0\n--- stdout ---\n["a b; rm -rf / && touch pwned $(id)"]');
    expect(readdirSync(workspace.root)).toEqual([]);
    expect(outside(dir)).toEqual([]);
  });

  it('a template that cannot render for the arguments is an error result, not a crash', async () => {
    const { workspace } = sandbox();
    const tool = createCommandTool(declaration(['node', '-e', PRINT_ARGV, '{{ args.missing }}']), render, { workspace, limits: LIMITS });
    expect(await tool.run({ text: 'x' }, {})).toMatchObject({ isError: true, content: expect.stringContaining('args.missing') });
  });

  it('runs in its cwd inside the workspace; a cwd leading out is an error result', async () => {
    const { dir, workspace } = sandbox();
    symlinkSync(dir, path.join(workspace.root, 'up'));
    const at = (cwd: string) => ({ ...declaration(['node', '-e', 'console.log(process.cwd())']), command: { command: ['node', '-e', 'console.log(process.cwd())'].map(template), cwd, timeoutSeconds: 10, env: {} } });
    const inside = await createCommandTool(at('build/out'), render, { workspace, limits: LIMITS }).run({}, {});
    expect(inside.content).toBe(`exit code 0\n--- stdout ---\n${path.join(workspace.root, 'build', 'out')}`);
    for (const cwd of ['../elsewhere', 'up/x']) {
      const result = await createCommandTool(at(cwd), render, { workspace, limits: LIMITS }).run({}, {});
      expect(result, cwd).toMatchObject({ isError: true, content: expect.stringMatching(/leaves the workspace|symlink/) });
    }
    expect(outside(dir)).toEqual([]);
  });

  it('a declared timeout shorter than the limit stops the program', async () => {
    const { workspace } = sandbox();
    const hanging = { ...declaration([]), command: { command: ['node', '-e', 'setInterval(() => {}, 1000)'].map(template), cwd: undefined, timeoutSeconds: 1, env: {} } };
    const result = await createCommandTool(hanging, render, { workspace, limits: { ...LIMITS, timeoutSeconds: 30 } }).run({}, {});
    expect(result).toMatchObject({ isError: true, detail: { timedOut: true } });
    expect(result.content).toContain('stopped after the 1 s timeout');
  });
});
