import type { ResolvedSop } from '../spec/resolved.js';
import type { Compiled } from './compiled.js';
import type { PendingMessage } from './message.js';

/**
 * The start messages with `content` and every string leaf of `payload` rendered over
 * `{inputs, run}`. They come from `user` and have no cause. A message whose `if` is false for
 * these inputs is not published.
 */
export function renderStartMessages(sop: ResolvedSop, compiled: Compiled, context: { inputs: Record<string, unknown>; run: Record<string, unknown> }): PendingMessage[] {
  const published = sop.start.filter((start) => !start.if || compiled.condition(start.if, { inputs: context.inputs }));
  return published.map((start) => {
    let payload: unknown = start.payload === undefined ? null : structuredClone(start.payload);
    for (const { path, template } of start.payloadTemplates) {
      const rendered = compiled.render(template, context);
      if (path.length === 0) {
        payload = rendered;
        continue;
      }
      let parent = payload as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[path[path.length - 1] as string | number] = rendered;
    }
    return {
      type: start.type,
      content: start.content ? compiled.render(start.content, context) : '',
      payload,
      from: 'user',
      to: start.to ?? null,
      cause: null,
    };
  });
}
