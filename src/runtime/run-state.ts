import type { SchemaValidators } from '../outputs/index.js';
import type { ChatModel } from '../providers/chat-model.js';
import type { ResolvedModelRef, ResolvedSop } from '../spec/resolved.js';
import type { Workspace, WrittenFile } from '../store/index.js';
import type { Compiled } from './compiled.js';
import type { Message } from './message.js';
import type { Semaphore } from './semaphore.js';
import type { SystemPrompts } from './system-prompt.js';
import type { UsageTracker } from './usage.js';

/** Everything the role and action runners share during one run. */
export interface RunState {
  sop: ResolvedSop;
  runId: string;
  inputs: Record<string, unknown>;
  workspace: Workspace;
  compiled: Compiled;
  validators: SchemaValidators;
  systemPrompts: SystemPrompts;
  model: ChatModel;
  /** Model name when neither the action, the role nor the settings name one. */
  fallbackModelName: string;
  /** Bounds concurrent model calls and commands (`settings.max_concurrency`). */
  limiter: Semaphore;
  usage: UsageTracker;
  signal: AbortSignal | undefined;
  now: () => Date;
  /** Action ids whose `when.type` is written in the SOP. */
  explicitTypes: ReadonlySet<string>;
  /** How often each action has run (for `max_runs`). */
  actionRuns: Map<string, number>;
  /** Last write of each artifact path. */
  artifacts: Map<string, WrittenFile>;
  /** Every published message by id (for `chain` memory). */
  messagesById: Map<string, Message>;
  /** True once any answer came from the offline model. */
  offlineAnswered: boolean;
}

/** The model settings that apply: the action's, else the role's, else the SOP's settings. */
export function modelSettings(state: RunState, ...refs: Array<ResolvedModelRef | undefined>): {
  name: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
} {
  const chain = [...refs, state.sop.settings.model];
  const pick = <K extends keyof ResolvedModelRef>(key: K): ResolvedModelRef[K] | undefined => {
    for (const ref of chain) if (ref && ref[key] !== undefined) return ref[key];
    return undefined;
  };
  return { name: pick('name') ?? state.fallbackModelName, temperature: pick('temperature'), maxTokens: pick('maxTokens') };
}
