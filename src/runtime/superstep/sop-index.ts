import type { ResolvedRole, ResolvedSop } from '../../spec/resolved.js';

/**
 * What delivery and planning look up every round, indexed once per SOP so a round's cost depends
 * on the messages it carries, not on how many roles the SOP declares.
 */
export interface SopIndex {
  /** Roles by id. */
  roles: ReadonlyMap<string, ResolvedRole>;
  /** Declaration position of each role id (plans and recipient lists keep declaration order). */
  order: ReadonlyMap<string, number>;
  /** Message type → ids of the roles that watch it, in declaration order. */
  watchers: ReadonlyMap<string, readonly string[]>;
  /** Action ids whose `when.type` is written in the SOP (the default also accepts addressed messages). */
  explicitTypes: ReadonlySet<string>;
}

/** What delivery needs to know about a role. */
export interface Recipient {
  id: string;
  watch: readonly string[];
}

/** The index of a list of roles; `explicitTypes` as the SOP wrote them (empty for bare recipients). */
export function indexRoles(roles: readonly Recipient[], explicitTypes: ReadonlySet<string> = new Set()): SopIndex {
  const watchers = new Map<string, string[]>();
  for (const role of roles) {
    for (const type of new Set(role.watch)) {
      const list = watchers.get(type);
      if (list) list.push(role.id);
      else watchers.set(type, [role.id]);
    }
  }
  return {
    roles: new Map(roles.map((role) => [role.id, role as ResolvedRole])),
    order: new Map(roles.map((role, position) => [role.id, position])),
    watchers,
    explicitTypes,
  };
}

/*
 * One index per ResolvedSop for the life of the process (a ResolvedSop never changes after
 * loading), like `compiledFor`.
 */
const indexBySop = new WeakMap<ResolvedSop, SopIndex>();

export function sopIndexFor(sop: ResolvedSop): SopIndex {
  let index = indexBySop.get(sop);
  if (!index) {
    index = indexRoles(sop.roles, explicitWhenTypes(sop));
    indexBySop.set(sop, index);
  }
  return index;
}

function explicitWhenTypes(sop: ResolvedSop): Set<string> {
  const explicit = new Set<string>();
  for (const role of Object.values(sop.document.roles ?? {})) {
    for (const action of role.actions ?? []) if (action.when?.type !== undefined) explicit.add(action.id);
  }
  return explicit;
}
