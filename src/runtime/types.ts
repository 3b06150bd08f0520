import type { SopError } from '../errors/index.js';
import type { ChatModel } from '../providers/chat-model.js';
import type { RunEvent } from './events.js';
import type { RunStatus } from './status.js';
import type { UsageCount } from './usage.js';

export interface RunOptions {
  /**
   * Input values. Strings (from the command line) are parsed to the declared input types;
   * a missing required input or a wrong type is a SopError (`INPUT_MISSING`/`INPUT_INVALID`, exit 2).
   */
  inputs: Record<string, string | number | boolean>;
  /** Folder the defaults are relative to; default `process.cwd()`. */
  cwd?: string;
  /** Where artifacts go; default `<cwd>/workspace/<sop name>`. */
  workspace?: string;
  /** Where run records go; default `<cwd>/.sop/runs`. */
  runsDir?: string;
  /** The model that answers every call; default the built-in offline model. */
  model?: ChatModel;
  /** Model name used when the action, role and settings name none; default `offline`. */
  modelName?: string;
  /** Overrides `settings.n_round`. */
  nRound?: number;
  /** Overrides `settings.investment` (USD). */
  investment?: number;
  /** Progress hook: every event, as it happens. The runtime itself never prints. */
  onEvent?: (event: RunEvent) => void;
  /** Run id; default `YYYYMMDD-HHMMSS-<6 hex>` from the clock. */
  runId?: string;
  /** Clock, injectable for reproducible records. */
  now?: () => Date;
  /** Aborting it interrupts the run (status `interrupted`, exit 130); state is saved. */
  signal?: AbortSignal;
}

export interface RunReport {
  runId: string;
  sop: { name: string; version: string; file: string; sha256: string };
  status: RunStatus;
  exitCode: number;
  rounds: number;
  started: string;
  ended: string;
  durationMs: number;
  /** The model named for the run (calls may name others per action). */
  model: string;
  /** True when the offline model answered: the content is placeholder text, not a real model's. */
  offline: boolean;
  workspace: string;
  messages: { total: number; byType: Record<string, number> };
  usage: { total: UsageCount; byRole: Record<string, UsageCount>; byAction: Record<string, UsageCount> };
  artifacts: Array<{ path: string; sha256: string; bytes: number }>;
  error?: { code: string; message: string; hint?: string };
}

export interface RunResult {
  runId: string;
  /** The run record folder. */
  runDir: string;
  /** The workspace folder (absolute). */
  workspace: string;
  status: RunStatus;
  exitCode: number;
  report: RunReport;
  /** Why the run failed, when it did. */
  error?: SopError;
}
