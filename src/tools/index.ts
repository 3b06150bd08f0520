export type { Tool, ToolContext, ToolDefinition, ToolLimits, ToolResult } from './types.js';
export { createFsTools } from './fs-tools.js';
export { createShellTool, type ShellToolOptions } from './shell-tool.js';
export { createHttpGetTool } from './http-get-tool.js';
export { createCommandTool, createHttpTool, literalOrigin, type RenderTemplate } from './declared-tools.js';
export { McpConnections } from './mcp/mcp-connections.js';
export { capOutput } from './output-cap.js';
