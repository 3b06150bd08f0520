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
        return commandToolResult(result, timeoutSeconds, limits.maxOutputBytes, context.maskParts);
      });
    },
  };
}

/**
 * A tool declared with `http`: URL, headers and body are templates over `args`; the rendered URL
 * must keep the origin the declaration starts with, so arguments choose a path or a query, never
 * the server. Redirects are not followed. A header may also name `${env:NAME}` (a token): its value
 * comes from `env`, read when the run starts, and the run masks it as a secret.
 */
export function createHttpTool(declaration: ResolvedToolDeclaration, render: RenderTemplate, options: { limits: ToolLimits; env?: Record<string, string> }): Tool {
  const { limits } = options;
  const http = declaration.http;
  const env = options.env ?? {};
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
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(http.headers)) {
          const header = withEnvValues(render(value, vars), envNames(value.text), env);
          if ('missing' in header) return toolError(`header ${name} uses \`\${env:${header.missing}}\`, which this run was not given`);
          headers[name] = header.text;
        }
        const body = http.body ? render(http.body, vars) : undefined;
        const seconds = Math.min(http.timeoutSeconds ?? limits.timeoutSeconds, limits.timeoutSeconds);
        const request = { method: http.method, headers, ...(body === undefined ? {} : { body }) };
        const response = await fetchCapped(url, request, limits.maxOutputBytes * 4, deadline(seconds, context.signal));
        if ('error' in response) return toolError(response.error, { url: url.href });
        if (response.location !== undefined) return toolError(`the server redirected to ${response.location}; redirects are not followed`, { status: response.status, url: url.href });
        // A server echoing the `${env:NAME}` header: masked before the cut could go through it.
        return { content: httpToolContent(response, limits.maxOutputBytes, context.maskParts), isError: response.status >= 400, detail: { status: response.status, url: url.href } };
      });
    },
  };
}

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The variables a header's template names with `${env:NAME}`, as written in the SOP. */
function envNames(template: string): Set<string> {
  return new Set([...template.matchAll(ENV_REFERENCE)].map((match) => match[1] as string));
}

/**
 * A rendered header with its `${env:NAME}` references replaced by their values, after rendering so a
 * value is never read as a template. Only the variables the SOP names there are replaced: an argument
 * naming another one (`${env:HOME}`) is sent as written, never expanded.
 */
function withEnvValues(rendered: string, names: Set<string>, env: Record<string, string>): { text: string } | { missing: string } {
  let missing: string | undefined;
  const text = rendered.replace(ENV_REFERENCE, (reference, name: string) => {
    if (!names.has(name)) return reference;
    const value = env[name];
    if (value === undefined) missing ??= name;
    return value ?? reference;
  });
  return missing === undefined ? { text } : { missing };
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
