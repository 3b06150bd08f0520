import type { SOP } from '../sop.types.generated.js';
import { messageTypeForId } from '../foreign-names.js';
import { closestMatch } from '../suggest.js';
import type { Emission } from './message-flow.js';

/** The document and emissions with misspelled names fixed, and the fix of one message type name. */
export interface FixedFlow {
  document: SOP;
  emissions: Emission[];
  type: (name: string) => string;
}

/**
 * The SOP's message flow as if every misspelled name were what its error's "did you mean" says
 * (`watch: [Draf]` as `Draft`, `to: reviwer` as `reviewer`), and every action or role named
 * where a message type goes as the type it outputs (`watch: [WritePost]` as `Draft`). Rules deriving warnings from the flow
 * read this: the error already explains the typo, and "`Draft` is watched by no other role" or
 * "role `reviewer` never acts" about it would be false once it is fixed. A name with no close
 * match stays as written.
 */
export function withTyposFixed(document: SOP, emissions: readonly Emission[]): FixedFlow {
  const types = Object.keys(document.messages ?? {});
  const roles = Object.keys(document.roles);
  const fixer = (known: readonly string[], meant: (name: string) => string | undefined = () => undefined) => {
    const set = new Set(known);
    const cache = new Map<string, string>();
    return (name: string): string => {
      if (set.has(name)) return name;
      let fixed = cache.get(name);
      if (fixed === undefined) cache.set(name, (fixed = meant(name) ?? closestMatch(name, known) ?? name));
      return fixed;
    };
  };
  const type = fixer(types, (name) => messageTypeForId(name, document)?.type);
  const role = fixer(roles);
  const fixedRoles = Object.fromEntries(Object.entries(document.roles).map(([id, declared]) => [id, { ...declared, watch: declared.watch.map(type) }]));
  return {
    document: { ...document, roles: fixedRoles },
    emissions: emissions.map((emission) => ({ ...emission, type: type(emission.type), to: emission.to?.map(role) })),
    type,
  };
}
