/**
 * The message views that every action run seeing the message shares (action-context.ts makes one
 * per committed message, and never changes it): what is derived from one alone, such as a prompt
 * that reads nothing else (`Compiled.renderShared`), can be kept with it.
 */
const shared = new WeakSet<object>();

/** Marks a view as the one every action run gets for its message. */
export function markShared(view: object): void {
  shared.add(view);
}

export function isSharedView(value: unknown): value is object {
  return typeof value === 'object' && value !== null && shared.has(value);
}
