import type { ErrorObject } from 'ajv';
import { fromPointer, joinPointer, toPointer, valueAt } from './pointer.js';

/** The schema-valid part of a document, and the pointers of what was taken out to get it. */
export interface WellFormedPart {
  document: unknown;
  /** Pointers (into the document as written) of the values removed. */
  removed: string[];
}

/** Rounds of removal before giving up (each round removes the parents of the last round's holes). */
const MAX_ROUNDS = 12;

/**
 * What semantic rules can still check in a document the schema refuses, so one run of `sop
 * validate` shows every mistake: each broken value is taken out (an optional field then falls back
 * to its default), and an object left without a required field is taken out whole, up the tree. A
 * list element is never taken out alone (the pointers after it would shift): its whole list goes.
 * Undefined when the skeleton itself is broken (the document would have to go).
 */
export function wellFormedPart(data: unknown, validate: (document: unknown) => ErrorObject[], errors: ErrorObject[]): WellFormedPart | undefined {
  const document = structuredClone(data);
  const removed: string[] = [];
  let current = errors;
  for (let round = 0; round < MAX_ROUNDS && current.length > 0; round++) {
    const targets = [...new Set(current.map((error) => removableAncestor(document, brokenValue(error))))].sort((left, right) => left.length - right.length);
    for (const target of targets) {
      if (target === '') return undefined;
      if (removed.some((done) => target === done || target.startsWith(`${done}/`))) continue;
      if (removeAt(document, target)) removed.push(target);
    }
    current = validate(document);
  }
  return current.length === 0 ? { document, removed } : undefined;
}

/** The value an error is about: the unknown key, the misnamed key, or the value at the error. */
function brokenValue(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') return joinPointer(error.instancePath, params.additionalProperty);
  if (error.propertyName !== undefined) return joinPointer(error.instancePath, error.propertyName);
  if (error.keyword === 'propertyNames' && typeof params.propertyName === 'string') return joinPointer(error.instancePath, params.propertyName);
  return error.instancePath;
}

/** The pointer itself, or its nearest ancestor that is not a list element. */
function removableAncestor(document: unknown, pointer: string): string {
  const segments = fromPointer(pointer);
  while (segments.length > 0 && Array.isArray(valueAt(document, toPointer(segments.slice(0, -1))))) segments.pop();
  return toPointer(segments);
}

function removeAt(document: unknown, pointer: string): boolean {
  const segments = fromPointer(pointer);
  const key = segments.pop() as string;
  const parent = valueAt(document, toPointer(segments));
  if (!parent || typeof parent !== 'object' || Array.isArray(parent) || !Object.hasOwn(parent, key)) return false;
  delete (parent as Record<string, unknown>)[key];
  return true;
}
