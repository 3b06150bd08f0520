export type { Tool, ToolContext, ToolDefinition, ToolLimits, ToolResult } from './types.js';
export { createFsTools } from './fs-tools.js';
export { RISKY_ALLOW_ENTRIES, createShellTool, type ShellToolOptions } from './shell-tool.js';
export { createHttpGetTool } from './http-get-tool.js';
export { createCommandTool, createHttpTool, literalOrigin, type RenderTemplate } from './declared-tools.js';
export { McpConnections, type ServedTools } from './mcp/mcp-connections.js';
export type { SkippedTool } from './mcp/served-tools.js';
export { capEnds, capOutput } from './output-cap.js';
export { runCommand, type CommandRequest, type CommandResult } from './run-command.js';
