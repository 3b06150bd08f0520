export type { Tool, ToolLimits } from './types.js';
export { createFsTools } from './fs-tools.js';
export { RISKY_ALLOW_ENTRIES, createShellTool } from './shell-tool.js';
export { createHttpGetTool } from './http-get-tool.js';
export { createCommandTool, createHttpTool, literalOrigin } from './declared-tools.js';
export { McpConnections, type ServedTools } from './mcp/mcp-connections.js';
export type { SkippedTool } from './mcp/served-tools.js';
export { capEnds, capOutput } from './output-cap.js';
