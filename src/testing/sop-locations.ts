/**
 * Where the parts of an SOP are written (role, action, gate, message type, artifact), so a failing
 * expectation points at the SOP line it is about. Reads the SOP file again with the loader's
 * positions (`loadYaml`, `SourceMap`); a part it cannot find (from an `extends`ed file, a templated
 * artifact path) has no location.
 */

import { readFileSync, statSync } from 'node:fs';
import { loadYaml } from '../spec/yaml-loader.js';
import { joinPointer } from '../spec/pointer.js';
import type { SourceMap } from '../spec/source-map.js';

export interface SopLocation {
  file: string;
  line: number;
  column: number;
}

/** What an expectation can be about. */
export type SopPart =
  | { role: string; action?: string }
  | { gate: string; role?: string; action?: string }
  /** Messages of a type: the action that outputs it (of role `from`), else the type's declaration. */
  | { messageType: string; from?: string }
  | { artifact: string };

interface ActionEntry {
  id?: unknown;
  output?: unknown;
  gates?: unknown;
  artifacts?: unknown;
}

export class SopLocator {
  private constructor(
    private readonly file: string,
    private readonly data: Record<string, unknown> | undefined,
    private readonly sourceMap: SourceMap | undefined,
  ) {}

  /** `display` names the file in locations; an unreadable or broken file locates nothing. */
  static read(absolute: string, display: string): SopLocator {
    try {
      // A pipe was read once by validation: read again it would wait for ever.
      if (!statSync(absolute).isFile()) return new SopLocator(display, undefined, undefined);
      const loaded = loadYaml(readFileSync(absolute, 'utf8'), display);
      return loaded.ok ? new SopLocator(display, loaded.data, loaded.sourceMap) : new SopLocator(display, undefined, undefined);
    } catch {
      return new SopLocator(display, undefined, undefined);
    }
  }

  locate(part: SopPart): SopLocation | undefined {
    const pointer = this.pointerOf(part);
    if (pointer === undefined || !this.sourceMap) return undefined;
    // A role or message type is where its name is written; a list entry (action, gate, artifact) where it starts.
    return { file: this.file, ...this.sourceMap.locate(pointer, 'key') };
  }

  private pointerOf(part: SopPart): string | undefined {
    if ('messageType' in part) {
      const outputs = (action: ActionEntry, role: string): number => ((part.from === undefined || part.from === role) && (action.output as { type?: unknown } | undefined)?.type === part.messageType ? 0 : -1);
      const declared = this.has(['messages', part.messageType]) ? joinPointer('/messages', part.messageType) : undefined;
      return this.find(outputs) ?? declared;
    }
    if ('artifact' in part) return this.find((action) => list(action.artifacts).findIndex((artifact) => (artifact as { path?: unknown }).path === part.artifact), 'artifacts');
    if ('gate' in part) {
      return this.find((action, role, id) => {
        if (part.role !== undefined && part.role !== role) return -1;
        if (part.action !== undefined && part.action !== id) return -1;
        return list(action.gates).findIndex((gate) => (gate as { name?: unknown }).name === part.gate);
      }, 'gates');
    }
    if (part.action === undefined) return this.has(['roles', part.role]) ? joinPointer('/roles', part.role) : undefined;
    const actions = list(this.role(part.role)?.['actions']);
    const index = actions.findIndex((action) => (action as ActionEntry).id === part.action);
    return index < 0 ? undefined : joinPointer('/roles', part.role, 'actions', index);
  }

  /**
   * The first action (over roles, in file order) where `pick` finds something: the entry at the
   * index it gives in the action's `field` list, or (no `field`) the action itself.
   */
  private find(pick: (action: ActionEntry, role: string, id: unknown) => number, field?: string): string | undefined {
    const roles = this.data?.['roles'];
    if (!roles || typeof roles !== 'object') return undefined;
    for (const role of Object.keys(roles)) {
      const actions = list(this.role(role)?.['actions']);
      for (const [index, action] of actions.entries()) {
        const entry = (action ?? {}) as ActionEntry;
        const found = pick(entry, role, entry.id);
        if (found >= 0) return field === undefined ? joinPointer('/roles', role, 'actions', index) : joinPointer('/roles', role, 'actions', index, field, found);
      }
    }
    return undefined;
  }

  private role(role: string): Record<string, unknown> | undefined {
    const roles = this.data?.['roles'] as Record<string, unknown> | undefined;
    const value = roles && Object.hasOwn(roles, role) ? roles[role] : undefined;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  }

  private has(segments: string[]): boolean {
    let node: unknown = this.data;
    for (const segment of segments) {
      if (!node || typeof node !== 'object' || !Object.hasOwn(node, segment)) return false;
      node = (node as Record<string, unknown>)[segment];
    }
    return true;
  }
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `file:line:col`. */
export function formatLocation(location: SopLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
