import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/**
 * A tool list the MCP SDK refuses (a tool whose `inputSchema` is not `type: "object"`, say): the
 * SDK checks the whole list and throws a schema error naming only an index (`tools.8.inputSchema.type`).
 * A list whose tools alone are wrong is read again unchecked and each tool judged on its own
 * (`toolsOnly`, `mcpToolProblem`): a bad tool is skipped, not the server. Anything else wrong with
 * the list is said here as what it is, where it would read as if the server had stopped.
 */
export interface ToolListProblem {
  message: string;
  hint: string;
}

export interface SchemaIssue {
  path: Array<string | number>;
  message: string;
}

/** The issues of the SDK's schema error for a tool list, or undefined for any other error. */
export function toolListIssues(error: unknown): SchemaIssue[] | undefined {
  const issues = (error as { issues?: unknown })?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const valid = issues.filter((issue): issue is SchemaIssue => Array.isArray(issue?.path) && typeof issue?.message === 'string');
  return valid.length > 0 ? valid : undefined;
}

/** Whether every issue is inside one tool of the list (`tools.3.inputSchema.type`): then the others can be used. */
export function toolsOnly(issues: readonly SchemaIssue[]): boolean {
  return issues.every((issue) => issue.path[0] === 'tools' && typeof issue.path[1] === 'number');
}

/** A page of the tool list as the server sent it, unchecked; undefined when that fails too. */
export async function rawToolPage(client: Client, cursor: string | undefined, timeoutMs: number): Promise<{ tools: unknown[]; nextCursor: string | undefined } | undefined> {
  try {
    const { ResultSchema } = await import('@modelcontextprotocol/sdk/types.js');
    const page = (await client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, ResultSchema, { timeout: timeoutMs })) as { tools?: unknown; nextCursor?: unknown };
    if (!Array.isArray(page.tools)) return undefined;
    return { tools: page.tools, nextCursor: typeof page.nextCursor === 'string' ? page.nextCursor : undefined };
  } catch {
    return undefined;
  }
}

/** What MCP's Tool schema finds wrong with one listed tool (`\`inputSchema.type\`: Invalid input: expected "object"`), or undefined when it is a valid tool. */
export async function mcpToolProblem(tool: unknown): Promise<string | undefined> {
  const { ToolSchema } = await import('@modelcontextprotocol/sdk/types.js');
  const checked = ToolSchema.safeParse(tool);
  if (checked.success) return undefined;
  const issues = checked.error.issues.slice(0, 3).map((issue) => `\`${issue.path.join('.')}\`: ${issue.message}`);
  const more = checked.error.issues.length > 3 ? ` (and ${checked.error.issues.length - 3} more)` : '';
  return `it is not a valid MCP tool: ${issues.join('; ')}${more}`;
}

/** What is wrong with the listed tools, by name: `tool \`stringy\`: \`inputSchema.type\` ...`. */
export function toolListProblem(issues: SchemaIssue[], tools: unknown[] | undefined): ToolListProblem {
  const named = issues.slice(0, 3).map((issue) => {
    const [first, index, ...rest] = issue.path;
    const name = first === 'tools' && typeof index === 'number' ? (tools?.[index] as { name?: unknown } | undefined)?.name : undefined;
    const where = first === 'tools' && typeof index === 'number' ? rest.join('.') : issue.path.join('.');
    const tool = typeof name === 'string' ? `tool \`${name}\`` : first === 'tools' && typeof index === 'number' ? `tool #${index + 1}` : 'the list';
    return `${tool}: \`${where}\`: ${issue.message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  const inputSchema = issues.some((issue) => issue.path.includes('inputSchema'));
  return {
    message: `its tool list is not valid MCP, so none of its tools can be used: ${named.join('; ')}${more}`,
    hint: inputSchema
      ? 'an MCP tool\'s `inputSchema` must be a JSON Schema object with `type: "object"` (arguments are an object): fix the tool in the server, or use a version of the server that does'
      : 'fix the tool list the server sends (tools/list), or use a version of the server that follows the MCP specification',
  };
}
