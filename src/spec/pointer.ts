/** JSON pointers (RFC 6901): how diagnostics name a place inside the SOP document. */

function escapeSegment(segment: string | number): string {
  // Most segments (ids, indexes) need no escape: no regex pass for them (every pointer is built of these).
  const text = String(segment);
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

/** `['roles', 'pm', 'watch', 0]` → `/roles/pm/watch/0`. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((segment) => `/${escapeSegment(segment)}`).join('');
}

/** `/roles/pm/watch/0` → `['roles', 'pm', 'watch', '0']`. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => (segment.includes('~') ? segment.replace(/~1/g, '/').replace(/~0/g, '~') : segment));
}

/** Appends segments to a pointer. */
export function joinPointer(base: string, ...segments: Array<string | number>): string {
  return base + toPointer(segments);
}

/** True when `pointer` is `base` or lies inside it. */
export function isWithin(pointer: string, base: string): boolean {
  return pointer === base || pointer.startsWith(`${base}/`);
}

/** The value at `pointer` inside `document` (own properties and list indexes only); undefined when there is none. */
export function valueAt(document: unknown, pointer: string): unknown {
  let node = document;
  for (const segment of fromPointer(pointer)) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (node && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, segment)) node = (node as Record<string, unknown>)[segment];
    else return undefined;
  }
  return node;
}
