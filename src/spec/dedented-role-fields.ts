import type { ErrorObject } from 'ajv';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { isWithin, joinPointer } from './pointer.js';
import { SOP_SCHEMA } from './schema-validator.js';
import { plural } from '../errors/index.js';

/** The fields a role takes (`profile`, `watch`, `actions`, ...), from the schema's `Role`. */
const ROLE_FIELDS: readonly string[] = Object.keys(
  ((SOP_SCHEMA['$defs'] as Record<string, { properties?: object; required?: string[] }>)['Role']?.properties ?? {}),
);
const REQUIRED_ROLE_FIELDS: readonly string[] = (SOP_SCHEMA['$defs'] as Record<string, { required?: string[] }>)['Role']?.required ?? [];

/**
 * `actions:` written at the role ids' indentation, under a role: YAML reads it as a role named
 * `actions` (whose list is "not a mapping"), and the role it belongs to as one without `actions`.
 * Those two schema errors named neither the line to move nor where: this reports one that does,
 * and returns the schema errors left for the usual report.
 */
export function reportDedentedRoleFields(document: unknown, errors: ErrorObject[], sink: DiagnosticSink): ErrorObject[] {
  const roles = asRecord(asRecord(document)?.['roles']);
  if (!roles || errors.length === 0) return errors;
  const ids = Object.keys(roles);
  let left = errors;
  ids.forEach((field, index) => {
    const owner = index > 0 ? ids[index - 1]! : undefined;
    const ownerRole = owner === undefined ? undefined : asRecord(roles[owner]);
    if (!ROLE_FIELDS.includes(field) || !ownerRole || field in ownerRole || looksLikeRole(roles[field])) return;
    const fieldPointer = joinPointer('/roles', field);
    report(sink, field, owner!, ownerRole);
    left = left.filter((error) => !isWithin(error.instancePath, fieldPointer) && !missingFrom(error, joinPointer('/roles', owner!), field));
  });
  return left;
}

function report(sink: DiagnosticSink, field: string, owner: string, ownerRole: Record<string, unknown>): void {
  const at = sink.sourceMap?.locate(joinPointer('/roles', field), 'key');
  const sibling = Object.keys(ownerRole).at(-1);
  const siblingAt = sibling === undefined ? undefined : sink.sourceMap?.locate(joinPointer('/roles', owner, sibling), 'key');
  const spaces = at && siblingAt && siblingAt.column > at.column ? siblingAt.column - at.column : undefined;
  const missing = REQUIRED_ROLE_FIELDS.includes(field) ? `, and role \`${owner}\` above it has no \`${field}\`` : '';
  sink.error('SCHEMA_MISSING_FIELD', joinPointer('/roles', owner, field), `\`${field}:\` lines up with the role ids, so it is read as a role named \`${field}\`${missing}`, {
    ...(at ? { position: at } : {}),
    expected: siblingAt && sibling ? `\`${field}:\` inside role \`${owner}\`, at column ${siblingAt.column} as its \`${sibling}:\` on line ${siblingAt.line}` : `\`${field}:\` inside role \`${owner}\``,
    hint: `indent \`${field}:\` under role \`${owner}\`: move it and the lines under it ${spaces === undefined ? '' : `${plural(spaces, 'space')} `}right`,
  });
}

/** A mapping holding a role's required fields is a real role, whatever its id. */
function looksLikeRole(value: unknown): boolean {
  const role = asRecord(value);
  return role !== undefined && REQUIRED_ROLE_FIELDS.some((field) => field in role);
}

function missingFrom(error: ErrorObject, pointer: string, field: string): boolean {
  return error.keyword === 'required' && error.instancePath === pointer && error.params['missingProperty'] === field;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
