import { isSopError } from '../errors/index.js';
import type { ResolvedToolDeclaration, TemplateText } from '../spec/resolved.js';
import type { Workspace } from '../store/index.js';
import { commandToolResult, streamLimits } from './command-output.js';
import { deadline, fetchCapped, httpToolContent } from './fetch-capped.js';
import { toolError } from './output-cap.js';
import { runCommand } from './run-command.js';
import type { Tool, ToolLimits, ToolResult } from './types.js';

/** Renders a template of the SOP (its engine, strict) over `{ args }`. */
export type RenderTemplate = (template: TemplateText, vars: Record<string, unknown>) => string;

/**
 * A tool declared with `command`: each argv entry is a template over `args` and renders to
 * exactly one argument, so a model-chosen value never splits into more arguments or reaches a
 * shell. Runs in the workspace like the `shell` tool.
 */
export function createCommandTool(declaration: ResolvedToolDeclaration, render: RenderTemplate, options: { workspace: Workspace; limits: ToolLimits }): Tool {
  const { workspace, limits } = options;
  const spec = declaration.command;
  return {
    name: declaration.name,
    description: declaration.description,
    parameters: declaration.parameters,
    async run(args, context) {
      if (!spec) return toolError(`tool ${declaration.name} has no command`);
      return rendered(async () => {
        const vars = { args };
        const argv = spec.command.map((part) => render(part, vars));
        const env = Object.fromEntries(Object.entries(spec.env).map(([name, value]) => [name, render(value, vars)]));
        const timeoutSeconds = Math.min(spec.timeoutSeconds, limits.timeoutSeconds);
        const result = await runCommand({
          argv,
          cwd: workspace.ensureFolder(spec.cwd ?? '.'),
          env,
          timeoutMs: timeoutSeconds * 1000,
          signal: context.signal,
          noteCommand: context.noteCommand,
          ...streamLimits(limits.maxOutputBytes),
        });
        return commandToolResult(result, timeoutSeconds, limits.maxOutputBytes);
      });
    },
  };
}

/**
 * A tool declared with `http`: URL, headers and body are templates over `args`; the rendered URL
 * must keep the origin the declaration starts with, so arguments choose a path or a query, never
 * the server. Redirects are not followed.
 */
export function createHttpTool(declaration: ResolvedToolDeclaration, render: RenderTemplate, options: { limits: ToolLimits }): Tool {
  const { limits } = options;
  const http = declaration.http;
  return {
    name: declaration.name,
    description: declaration.description,
    parameters: declaration.parameters,
    async run(args, context) {
      if (!http) return toolError(`tool ${declaration.name} has no http request`);
      const origin = literalOrigin(http.url.text);
      return rendered(async () => {
        const vars = { args };
        const text = render(http.url, vars);
        let url: URL;
        try {
          url = new URL(text);
        } catch {
          return toolError(`the rendered URL "${text}" is not a URL`);
        }
        if (origin === undefined || url.origin !== origin || url.username !== '' || url.password !== '') return toolError(`the URL must stay on ${origin ?? 'the declared server'}, not ${url.origin}`, { refused: url.origin });
        const headers = Object.fromEntries(Object.entries(http.headers).map(([name, value]) => [name, render(value, vars)]));
        const body = http.body ? render(http.body, vars) : undefined;
        const seconds = Math.min(http.timeoutSeconds ?? limits.timeoutSeconds, limits.timeoutSeconds);
        const request = { method: http.method, headers, ...(body === undefined ? {} : { body }) };
        const response = await fetchCapped(url, request, limits.maxOutputBytes * 4, deadline(seconds, context.signal));
        if ('error' in response) return toolError(response.error, { url: url.href });
        if (response.location !== undefined) return toolError(`the server redirected to ${response.location}; redirects are not followed`, { status: response.status, url: url.href });
        return { content: httpToolContent(response, limits.maxOutputBytes), isError: response.status >= 400, detail: { status: response.status, url: url.href } };
      });
    },
  };
}

/** The origin a URL template starts with literally (`https://api.github.com`), or undefined. */
export function literalOrigin(urlTemplate: string): string | undefined {
  const match = /^(https?:\/\/[^/{}?#]+)/.exec(urlTemplate);
  if (!match || /[{}]/.test(match[1] as string)) return undefined;
  try {
    return new URL(match[1] as string).origin;
  } catch {
    return undefined;
  }
}

/** A template that cannot render for these arguments (strict variables) is the model's error, not a crash. */
async function rendered(work: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await work();
  } catch (error) {
    return toolError(isSopError(error) ? error.message : `the tool failed: ${(error as Error).message}`);
  }
}
