import type { Workspace } from '../store/index.js';
import { capOutput, toolError } from './output-cap.js';
import { runCommand } from './run-command.js';
import type { Tool, ToolLimits } from './types.js';

export interface ShellToolOptions {
  /** Programs the model may run, by name (`settings.tools.shell.allow`). */
  allow: string[];
  /** Variables passed beyond PATH, HOME, LANG and TMPDIR. */
  env: Record<string, string>;
  workspace: Workspace;
  limits: ToolLimits;
}

/**
 * `shell`: runs one allowed program with arguments as argv, never through a shell, in the
 * workspace, in its own process group (killed with its children at the timeout), with a scrubbed
 * environment and stdin closed. A program not on the allow-list (`/bin/sh` is not `sh`) is refused.
 */
export function createShellTool(options: ShellToolOptions): Tool {
  const { allow, env, workspace, limits } = options;
  return {
    name: 'shell',
    description: `Run a program in the workspace (no shell: no pipes, redirections or globbing). Allowed programs: ${allow.join(', ')}.`,
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['command'],
      properties: {
        command: { type: 'string', enum: [...allow], description: 'The program to run' },
        args: { type: 'array', items: { type: 'string' }, default: ['--version'], description: 'Its arguments, one per entry' },
      },
    },
    async run(args, context) {
      const program = String(args['command']);
      if (!allow.includes(program) || program.includes('/')) {
        return toolError(`"${program}" is not an allowed program (allowed: ${allow.join(', ')})`, { refused: program });
      }
      const argv = [program, ...(Array.isArray(args['args']) ? args['args'].map(String) : [])];
      try {
        const result = await runCommand({
          argv,
          cwd: workspace.root,
          env,
          timeoutMs: limits.timeoutSeconds * 1000,
          signal: context.signal,
          tailBytes: limits.maxOutputBytes,
        });
        const sections = [`exit code ${result.exitCode}${result.timedOut ? ` (stopped after the ${limits.timeoutSeconds} s timeout)` : ''}`];
        if (result.stdout.trim() !== '') sections.push(`--- stdout ---\n${result.stdout.trimEnd()}`);
        if (result.stderr.trim() !== '') sections.push(`--- stderr ---\n${result.stderr.trimEnd()}`);
        return {
          content: capOutput(sections.join('\n'), limits.maxOutputBytes),
          isError: result.exitCode !== 0,
          detail: { exitCode: result.exitCode, timedOut: result.timedOut },
        };
      } catch (error) {
        return toolError((error as Error).message);
      }
    },
  };
}
