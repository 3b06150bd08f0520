import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedToolDeclaration, TemplateText } from '../../src/spec/resolved.js';
import { createCommandTool, createShellTool } from '../../src/tools/index.js';
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
    const shell = createShellTool({ allow: ['node'], env: {}, workspace, limits: { timeoutSeconds: 1, maxOutputBytes: 2048 } });
    const huge = await shell.run({ command: 'node', args: ['-e', 'process.stdout.write("y".repeat(5_000_000)); console.log("LAST")'] }, {});
    expect(huge.isError).toBe(false);
    expect(Buffer.byteLength(huge.content)).toBeLessThanOrEqual(2048);
    expect(huge.content).toContain('LAST');
    const hanging = await shell.run({ command: 'node', args: ['-e', 'setInterval(() => {}, 1000)'] }, {});
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
    expect(result.content.trim()).toBe('["a b; rm -rf / && touch pwned $(id)"]');
    expect(readdirSync(workspace.root)).toEqual([]);
    expect(outside(dir)).toEqual([]);
  });

  it('a template that cannot render for the arguments is an error result, not a crash', async () => {
    const { workspace } = sandbox();
    const tool = createCommandTool(declaration(['node', '-e', PRINT_ARGV, '{{ args.missing }}']), render, { workspace, limits: LIMITS });
    expect(await tool.run({ text: 'x' }, {})).toMatchObject({ isError: true, content: expect.stringContaining('args.missing') });
  });
});
