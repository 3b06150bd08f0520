/**
 * Expectations that name a role, action, message type or gate the SOP does not have. They hold or
 * fail whatever the run does (`not_ran: [{ role: reviewr }]` always holds, `messages: [{ type:
 * Reveiw, count: 0 }]` too), so a typo would hide a broken branch: each is named, with the nearest
 * name, before the cases run.
 */

import type { ResolvedSop } from '../spec/resolved.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import type { Expectations } from './sop-test.types.generated.js';

export interface MissedName {
  /** The expectation, as failures name it: `expect.not_ran[0]`. */
  path: string;
  /** Its field that names what the SOP lacks: `role`, `action`, `type`, `from`, `to`, `gate`, `routed_to`. */
  field: string;
  /** Where that field is, from the case: `/expect/not_ran/0/role` (a warning points at its value). */
  pointer: string;
  why: string;
}

export function expectationsThatMissTheSop(expect: Expectations, sop: ResolvedSop): MissedName[] {
  const missed: MissedName[] = [];
  const roles = new Map(sop.roles.map((role) => [role.id, role]));
  const types = Object.keys(sop.messages);
  const gates = sop.roles.flatMap((role) => role.actions.flatMap((action) => action.gates.map((gate) => gate.name)));
  const check = (path: string, field: string, what: string, name: string | undefined, known: string[], owner = ''): void => {
    if (name === undefined || known.includes(name)) return;
    missed.push({ path, field, pointer: `${pointerOfPath(path)}/${field}`, why: `the SOP has no ${what} \`${name}\`${owner} (${didYouMean(name, known) ?? `it has: ${listNames(known)}`})` });
  };
  const checkStep = (path: string, step: { role: string; action?: string }): void => {
    check(path, 'role', 'role', step.role, [...roles.keys()]);
    const role = roles.get(step.role);
    if (role) check(path, 'action', 'action', step.action, role.actions.map((action) => action.id), ` of role \`${role.id}\``);
  };
  expect.messages?.forEach((entry, index) => {
    const path = `expect.messages[${index}]`;
    check(path, 'type', 'message type', entry.type, types);
    check(path, 'from', 'role (or `user`)', entry.from, ['user', ...roles.keys()]);
    check(path, 'to', 'role', entry.to, [...roles.keys()]);
  });
  expect.path?.forEach((entry, index) => checkStep(`expect.path[${index}]`, entry));
  expect.not_ran?.forEach((entry, index) => checkStep(`expect.not_ran[${index}]`, entry));
  expect.gates?.forEach((entry, index) => {
    check(`expect.gates[${index}]`, 'gate', 'gate', entry.gate, [...new Set(gates)]);
    check(`expect.gates[${index}]`, 'routed_to', 'message type', entry.routed_to, types);
  });
  return missed;
}

/** `expect.messages[1]` → `/expect/messages/1`: an expectation's path as a JSON pointer from its case. */
export function pointerOfPath(at: string): string {
  return `/${at.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`;
}
