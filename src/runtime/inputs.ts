import { SopError } from '../errors/index.js';
import type { ResolvedInput } from '../spec/resolved.js';

export type InputValue = string | number | boolean;

/**
 * Checks the given inputs against the declared ones: unknown names, missing required inputs,
 * wrong types and values outside `enum` are usage errors (exit 2) naming the input and its type.
 * Strings (from the command line) are parsed to the declared type; defaults fill the rest.
 */
export function coerceInputs(declared: readonly ResolvedInput[], given: Record<string, InputValue>): Record<string, unknown> {
  const byName = new Map(declared.map((input) => [input.name, input]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      const names = declared.map((input) => input.name).join(', ') || '(none)';
      throw new SopError('INPUT_INVALID', `unknown input "${name}"; this SOP declares: ${names}`, {
        hint: 'pass declared inputs only, as --input name=value',
      });
    }
  }
  const values: Record<string, unknown> = {};
  for (const input of declared) {
    const type = input.type ?? 'string';
    const raw = given[input.name];
    if (raw === undefined) {
      if (input.default !== undefined) values[input.name] = input.default;
      else if (input.required) {
        throw new SopError('INPUT_MISSING', `input "${input.name}" (${type}) is required`, {
          hint: input.name === 'idea' ? 'give it as the argument after the SOP file: sop run FILE "the idea"' : `pass it as --input ${input.name}=<${type}>`,
        });
      }
      continue;
    }
    // A required text given empty is as good as missing (`sop run FILE ""`).
    if (input.required && type === 'string' && String(raw).trim() === '') {
      throw new SopError('INPUT_MISSING', `input "${input.name}" (${type}) is required and was given empty`, {
        hint: input.name === 'idea' ? 'give it as the argument after the SOP file: sop run FILE "the idea"' : `pass it as --input ${input.name}=<${type}>`,
      });
    }
    const value = coerceValue(raw, type);
    if (value === undefined) {
      throw new SopError('INPUT_INVALID', `input "${input.name}" must be ${article(type)} ${type}, got ${JSON.stringify(raw)}`, {
        hint: type === 'boolean' ? 'use true or false' : `pass --input ${input.name}=<${type}>`,
      });
    }
    if (input.enum && !input.enum.some((allowed) => allowed === value)) {
      throw new SopError('INPUT_INVALID', `input "${input.name}" must be one of ${input.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`);
    }
    values[input.name] = value;
  }
  return values;
}

function coerceValue(raw: InputValue, type: string): InputValue | undefined {
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? raw : String(raw);
    case 'number':
    case 'integer': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(value)) return undefined;
      return type === 'integer' && !Number.isInteger(value) ? undefined : value;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (['true', 'yes', '1'].includes(text)) return true;
      if (['false', 'no', '0'].includes(text)) return false;
      return undefined;
    }
    default:
      return raw;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}
