import type { ScriptHints } from '../providers/script/hints.js';
import type { ResolvedAction, ResolvedRole } from '../spec/resolved.js';

/** Where the call happens, for events. */
export interface ActionFrame {
  round: number;
  role: ResolvedRole;
  action: ResolvedAction;
  /** Id of the trigger message. */
  message: string;
  /** foreach index, when the action fans out. */
  index: number | undefined;
  /** foreach: the item's key (`itemKey`), when it has one. */
  itemKey?: string;
  /** 1-based: which output of this action run (more than 1 once a gate asked for a revision). */
  attempt?: number;
}

/** Fields of an object item that name it, in the order they are looked for. */
const KEY_FIELDS = ['id', 'key', 'name', 'file', 'path'] as const;

/**
 * A foreach item's key, for scripts to name it by (`item: main.py`): a string or number item
 * itself, else the first of its `id`, `key`, `name`, `file`, `path` that is a string.
 */
export function itemKey(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (typeof item === 'number') return String(item);
  if (item === null || typeof item !== 'object') return undefined;
  for (const field of KEY_FIELDS) {
    const value = (item as Record<string, unknown>)[field];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** The hints of a first attempt outside a foreach (read only, by the scripted model). */
const FIRST_ATTEMPT: ScriptHints = Object.freeze({ attempt: 1 });

/** What the scripted model reads of the frame (`providerOptions.script`). */
export function scriptHints(frame: ActionFrame): ScriptHints {
  // The first attempt outside a foreach (most calls) shares one; others are built field by field.
  if (frame.index === undefined && (frame.attempt ?? 1) === 1) return FIRST_ATTEMPT;
  const hints: ScriptHints = { attempt: frame.attempt ?? 1 };
  if (frame.index !== undefined) hints.item = frame.itemKey === undefined ? { index: frame.index } : { index: frame.index, key: frame.itemKey };
  return hints;
}

/** Which output of the action run a call is for, as `llm-call-*` events say it: 0 the first, N the N-th revision. */
export function revisionOf(frame: ActionFrame): number {
  return (frame.attempt ?? 1) - 1;
}

/** The fields every event about this action run carries. */
export function frameFields(frame: ActionFrame): { round: number; role: string; action: string; message: string; index?: number } {
  return {
    round: frame.round,
    role: frame.role.id,
    action: frame.action.id,
    message: frame.message,
    ...(frame.index === undefined ? {} : { index: frame.index }),
  };
}
