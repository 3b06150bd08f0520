/**
 * The contract every tool implements: built-in (`fs.*`, `shell`, `http.get`), declared in the SOP
 * (a command or HTTP template) or served by an MCP server. The runtime's tool loop only sees this.
 *
 * Failures are values: a tool never throws for something the model did (a path outside the
 * workspace, a host not allowed, a non-zero exit, a timeout, a huge output). It returns
 * `isError: true` with a message the model can act on, and the run goes on.
 */

import type { NoteCommand } from './run-command.js';

interface ToolDefinition {
  /** The tool's name in the SOP: `fs.read`, `shell`, `run_tests`, `docs.search` (MCP server `docs`). */
  name: string;
  /** What the model is told the tool does. */
  description: string;
  /** JSON Schema of the arguments object (`type: object`). The runtime validates arguments against it before `run`. */
  parameters: Record<string, unknown>;
  /**
   * The tool may change things outside the run's workspace: an MCP server's tool not annotated
   * `readOnlyHint: true`. Built-in and declared tools run in the workspace and leave this unset.
   * The offline model, which calls tools no prompt asked for, never calls such a tool.
   */
  changesOutsideWorkspace?: boolean;
}

export interface ToolResult {
  /** What the model sees: the output, or why the call failed. Already capped to the output limit. */
  content: string;
  isError: boolean;
  /**
   * Facts for the event log (never sent to the model): exit code, HTTP status, bytes cut, the
   * refused path, ... Plain JSON.
   */
  detail?: Record<string, unknown>;
  /** Workspace files the call wrote (fs.write), for the run's artifact list. */
  written?: Array<{ path: string; bytes: number; sha256: string }>;
}

export interface ToolContext {
  /** Aborts the call (the run was interrupted); the tool stops its process or request. */
  signal?: AbortSignal;
  /** Told each command the tool starts, as a step's command is, so a resume after a `kill -9` stops what it left. */
  noteCommand?: NoteCommand;
  /** The run's secret mask: a reply that may echo a secret is masked before it is cut, so no cut leaves part of one. */
  mask?: (text: string) => string;
  /** The same mask as parts, each with the original it shows: a cut's `[... N bytes cut ...]` counts the original's bytes. */
  maskParts?: MaskParts;
}

/** A masked text as its pieces: `text` shown for `source` (they differ where a secret was masked). */
export type MaskParts = (text: string) => Array<{ text: string; source: string }>;

export interface Tool extends ToolDefinition {
  /** Runs one call with arguments already validated against `parameters`. Never rejects for the model's mistakes. */
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
}

/** Limits every tool call gets (from `settings.tools`). */
export interface ToolLimits {
  /** Seconds before a call is stopped (its process killed, its request aborted). */
  timeoutSeconds: number;
  /** Bytes of output handed to the model; longer output keeps its head and tail with a note of what was cut. */
  maxOutputBytes: number;
}
