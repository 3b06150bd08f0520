import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type Ajv2020Module from 'ajv/dist/2020.js';
import type { Diagnostic } from '../errors/index.js';
import { SopError } from '../errors/index.js';
import { fromPointer, joinPointer } from '../spec/pointer.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import type { ConfigFile } from './config-file.js';

const require = createRequire(import.meta.url);

/** The configuration format's JSON Schema (`schemas/config.v1.schema.json`). */
export const CONFIG_SCHEMA = require('../../schemas/config.v1.schema.json') as Record<string, unknown>;

let validator: ValidateFunction | undefined;

/** Compiled on first use: only runs that find a configuration file pay for ajv. */
function getValidator(): ValidateFunction {
  if (!validator) {
    const Ajv2020 = (require('ajv/dist/2020.js') as typeof Ajv2020Module).default;
    validator = new Ajv2020({ allErrors: true, verbose: true, strict: true, logger: false }).compile(CONFIG_SCHEMA);
  }
  return validator;
}

/** Every schema problem of one file, located; throws CONFIG_INVALID carrying them all. */
export function validateConfigFile(config: ConfigFile): void {
  const validate = getValidator();
  const diagnostics = validate(config.data) ? [] : collapse(validate.errors ?? []).map((error) => toDiagnostic(error, config));
  diagnostics.push(...malformedEnvReferences(config));
  if (diagnostics.length > 0) throw SopError.fromDiagnostics(dedupe(diagnostics));
}

const ENV_REFERENCE_AT = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/;

/**
 * `${env:}`, `${env:1X}`, `${env:X` and shell-style `${X}` are not references: used as written
 * they would be sent as a key or URL. Each is located at its value.
 */
function malformedEnvReferences(config: ConfigFile): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const visit = (value: unknown, pointer: string): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(/\$\{([^}]*)\}?/g)) {
        const text = match[0];
        if (ENV_REFERENCE_AT.test(value.slice(match.index))) continue;
        const name = (match[1] ?? '').replace(/^env:/, '');
        problems.push({
          code: 'CONFIG_INVALID', severity: 'error', file: config.file, ...(config.locate(pointer) ?? {}), pointer,
          message: `\`${text}\` in \`${dottedKey(pointer)}\` is not an environment reference`,
          expected: '${env:NAME}, NAME made of letters, digits and underscores (not starting with a digit)',
          hint: /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `write \`\${env:${name}}\`` : 'write `${env:NAME}` with the variable\'s name',
        });
      }
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, joinPointer(pointer, index)));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, joinPointer(pointer, key));
  };
  visit(config.data, '');
  return problems;
}

/**
 * ajv reports every failing branch of a `oneOf`; keep only the branch whose type fits the value
 * (a string alias or an alias mapping), or one "expected X or Y" when none does.
 */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  const combinators = errors.filter((error) => error.keyword === 'oneOf');
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'propertyNames') continue;
    const owner = combinators.find((combinator) => error.schemaPath.startsWith(`${combinator.schemaPath}/`));
    if (!owner) {
      out.push(error);
      continue;
    }
    const branch = Number(error.schemaPath.slice(owner.schemaPath.length + 1).split('/')[0]);
    if (branch === fittingBranch(owner)) out.push(error);
  }
  for (const combinator of combinators) {
    if (fittingBranch(combinator) === undefined) out.push({ ...combinator, keyword: 'type', params: { type: branchTypes(combinator).join(' or ') } });
  }
  return out;
}

function fittingBranch(combinator: ErrorObject): number | undefined {
  const types = branchTypes(combinator);
  const dataType = jsonType(combinator.data);
  const index = types.indexOf(dataType);
  return index === -1 ? undefined : index;
}

function branchTypes(combinator: ErrorObject): string[] {
  const branches = Array.isArray(combinator.schema) ? (combinator.schema as Array<{ type?: string }>) : [];
  return branches.map((branch) => branch.type ?? 'value');
}

function toDiagnostic(error: ErrorObject, config: ConfigFile): Diagnostic {
  const base = { code: 'CONFIG_INVALID' as const, severity: 'error' as const, file: config.file };
  const pointer = error.propertyName !== undefined ? joinPointer(error.instancePath, error.propertyName) : error.instancePath;
  const key = dottedKey(pointer);
  const at = (place: string, where: 'value' | 'key' = 'value') => config.locate(place, where) ?? {};
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params['additionalProperty']);
      const known = Object.keys((error.parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {});
      const place = joinPointer(error.instancePath, name);
      return {
        ...base, ...at(place, 'key'), pointer: place,
        message: `unknown key \`${dottedKey(place)}\``,
        expected: `one of: ${listNames(known)}`,
        hint: didYouMean(name, known) ?? 'remove it, or see `sop schema config` for the keys',
      };
    }
    case 'required': {
      const missing = String(error.params['missingProperty']);
      return { ...base, ...at(pointer), pointer, message: `\`${key || 'configuration'}\` is missing \`${missing}\``, expected: `a \`${missing}\` key` };
    }
    case 'type':
      return {
        ...base, ...at(pointer), pointer,
        message: `\`${key || 'configuration'}\` must be ${article(String(error.params['type']))}, not ${describe(error.data)}`,
        expected: String(error.params['type']),
      };
    case 'enum':
      return {
        ...base, ...at(pointer), pointer,
        message: `\`${key}\` is ${describe(error.data)}`,
        expected: `one of: ${((error.params['allowedValues'] as unknown[]) ?? []).join(', ')}`,
        hint: typeof error.data === 'string' ? didYouMean(error.data, (error.params['allowedValues'] as string[]) ?? []) : undefined,
      };
    case 'pattern':
      return {
        ...base, ...at(pointer, error.propertyName !== undefined ? 'key' : 'value'), pointer,
        message: error.propertyName !== undefined ? `invalid name \`${error.propertyName}\` in \`${dottedKey(error.instancePath)}\`` : `\`${key}\` has an invalid value`,
        expected: String((error.parentSchema?.['description'] as string | undefined) ?? `text matching ${String(error.params['pattern'])}`),
      };
    default:
      return { ...base, ...at(pointer), pointer, message: `\`${key || 'configuration'}\` ${error.message ?? 'is invalid'}`, expected: schemaDescription(error) };
  }
}

function schemaDescription(error: ErrorObject): string | undefined {
  const description = error.parentSchema?.['description'];
  return typeof description === 'string' ? description : undefined;
}

/** `/providers/openai/timeout` → `providers.openai.timeout`. */
function dottedKey(pointer: string): string {
  return fromPointer(pointer).join('.');
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function describe(value: unknown): string {
  const type = jsonType(value);
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  if (type === 'null') return 'empty';
  if (type === 'function' || type === 'undefined' || type === 'symbol' || type === 'bigint') return `a JavaScript ${type}`;
  const shown = JSON.stringify(value);
  return `${type === 'integer' ? 'the number' : `the ${type}`} ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`;
}

function article(type: string): string {
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false' };
  return type.split(' or ').map((part) => words[part] ?? part).join(' or ');
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const id = `${diagnostic.pointer}|${diagnostic.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
