/**
 * What the scripted model needs besides the offline hints to tell calls of one action apart.
 * Passed as `request.providerOptions.script`; every other provider ignores it, and like the
 * offline hints it is never part of a cache, cassette or journal key.
 */
export interface ScriptHints {
  /** 1-based: which output of the action run is asked for (more than 1 after a gate asked for a revision). */
  attempt: number;
  /** foreach: the item's 0-based index and its key (`docs/scripted-model.md`), when the action fans out. */
  item?: { index: number; key?: string };
}
