import type { Workspace } from '../store/index.js';
import { commandToolResult, streamLimits } from './command-output.js';
import { toolError } from './output-cap.js';
import { runCommand } from './run-command.js';
import type { Tool, ToolLimits } from './types.js';

/**
 * Allow-list entries that run any other program (a shell, a command runner, a privilege or
 * scheduling wrapper): allowing one allows everything, so `sop validate` warns about them.
 */
export const RISKY_ALLOW_ENTRIES: readonly string[] = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'env', 'xargs', 'sudo', 'su', 'nohup', 'timeout', 'nice', 'busybox', 'exec', 'eval'];

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
        command: { type: 'string', enum: [...allow], description: 'The program to run (one of the allowed names)' },
        args: { type: 'array', items: { type: 'string' }, default: [], description: 'Its arguments, one per entry (no shell syntax: each entry is passed as is)' },
      },
    },
    async run(args, context) {
      const program = String(args['command']);
      if (!allow.includes(program) || program.includes('/') || program.includes('\\')) {
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
          noteCommand: context.noteCommand,
          ...streamLimits(limits.maxOutputBytes),
        });
        return commandToolResult(result, limits.timeoutSeconds, limits.maxOutputBytes, context.maskParts);
      } catch (error) {
        return toolError((error as Error).message);
      }
    },
  };
}
