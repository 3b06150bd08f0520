/** Plain-words descriptions of schema parts, for diagnostics. */

type Schema = Record<string, unknown>;

/** Friendly names of the SOP schema's reusable definitions. */
const DEFINITION_WORDS: Record<string, string> = {
  Template: 'a template string',
  FileRef: '{ file: path }',
  Expression: 'a CEL expression (string)',
  MessageTypeName: 'a message type name',
  MessageCondition: 'a condition { type, if }',
  Identifier: 'an identifier',
  InputBound: '`{ input: NAME }` (taken from an input)',
};

interface PatternRule {
  /** What the rule says, in words. */
  rule: string;
  /** A value that satisfies it, derived from what was written. */
  fix?: (value: string) => string;
}

const PATTERN_RULES: Record<string, PatternRule> = {
  '^[a-z][a-z0-9_]*$': {
    rule: 'role ids, action ids, input names and `to` are snake_case (lowercase letters, digits and underscores, starting with a letter)',
    // A template here (`{{ message.from }}`) is not a misspelt id: `message_from` would be a wrong fix.
    fix: (value) => (value.includes('{{') ? '' : toSnakeCase(value)),
  },
  '^([a-z][a-z0-9_]*|\\{\\{[^{}]+\\}\\})$': {
    rule: 'a role id (snake_case), or one template output that renders to a role id at run time, like `{{ message.from }}` or `{{ payload.assignee }}`',
    fix: recipientFix,
  },
  '^[A-Z][A-Za-z0-9]*$': {
    rule: 'message types are PascalCase (letters and digits, starting with an uppercase letter)',
    fix: toPascalCase,
  },
  '^[a-z0-9][a-z0-9-_]*$': {
    rule: 'SOP names are lowercase letters, digits, dashes and underscores',
    fix: (value) => toSnakeCase(value).replace(/_/g, '-'),
  },
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$': {
    rule: 'versions are semver: MAJOR.MINOR.PATCH, like 1.0.0',
    // `1` and `1.0` (often written unquoted, read as numbers) and `v1.2.0` mean the version padded to three parts.
    fix: (value) => {
      const parts = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(value.trim());
      return parts ? [parts[1], parts[2] ?? '0', parts[3] ?? '0'].map((part) => String(Number(part))).join('.') : '';
    },
  },
};

/** The rule behind a pattern, in words, and a suggested value when one can be derived. */
export function explainPattern(pattern: string, value: unknown): { rule: string; suggestion: string | undefined } {
  const known = PATTERN_RULES[pattern];
  if (!known) return { rule: `must match the pattern ${pattern}`, suggestion: undefined };
  const suggestion = typeof value === 'string' && known.fix ? known.fix(value) : undefined;
  const valid = suggestion !== undefined && suggestion !== '' && new RegExp(pattern).test(suggestion) && suggestion !== value;
  return { rule: known.rule, suggestion: valid ? suggestion : undefined };
}

/** `message.from` → `{{ message.from }}` (a field path means a role chosen at run time); anything else → snake_case. */
function recipientFix(value: string): string {
  const inner = /\{\{\s*([^{}]*?)\s*\}\}/.exec(value)?.[1] ?? value.trim();
  return /^[A-Za-z_][\w]*(\.[\w]+|\[[^\]]+\])+$/.test(inner) ? `{{ ${inner} }}` : toSnakeCase(value);
}

export function toSnakeCase(value: string): string {
  return value
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/_+$/, '')
    .toLowerCase();
}

export function toPascalCase(value: string): string {
  return value
    .replace(/^[^A-Za-z]+/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** JSON type of a value as JSON Schema names it (`integer` for whole numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

/** `a string`, `a list`, ... for one JSON type or several. */
export function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((name) => TYPE_WORDS[String(name)] ?? String(name)).join(' or ');
}

/** The value as the user sees it, for messages: strings in backticks, the rest by kind. */
export function valueWords(value: unknown): string {
  const type = jsonTypeOf(value);
  if (type === 'string') return `a string (\`${truncate(String(value))}\`)`;
  if (type === 'integer' || type === 'number' || type === 'boolean') return `${typeWords(type)} (${String(value)})`;
  return typeWords(type);
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Whether a value of JSON type `dataType` can satisfy something typed `schemaType`. */
export function typeAccepts(schemaType: string, dataType: string): boolean {
  return schemaType === dataType || (schemaType === 'number' && dataType === 'integer');
}

/**
 * The JSON types a schema can accept, when they can be read from it (`type`, `enum`, `const`, or
 * object/array keywords), following `#/...` references with `resolve`. Undefined when unknown.
 */
export function schemaTypes(schema: unknown, resolve: (ref: string) => unknown, depth = 0): string[] | undefined {
  if (!schema || typeof schema !== 'object' || depth > 10) return undefined;
  const node = schema as Schema;
  if (typeof node.$ref === 'string') return schemaTypes(resolve(node.$ref), resolve, depth + 1);
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type.map(String);
  if (Array.isArray(node.enum)) return [...new Set(node.enum.map(jsonTypeOf))];
  if ('const' in node) return [jsonTypeOf(node.const)];
  if (node.properties || node.additionalProperties !== undefined || node.required) return ['object'];
  if (node.items) return ['array'];
  return undefined;
}

/** A short description of one alternative of a `oneOf`, e.g. `a template string` or `{ file: path }`. */
export function describeSchema(schema: unknown, resolve: (ref: string) => unknown, depth = 0): string {
  // `true` (and `{}`) takes anything: the meta-schema's `enum: { type: array, items: true }`.
  if (schema === true || (schema !== null && typeof schema === 'object' && !Array.isArray(schema) && Object.keys(schema).length === 0)) return 'a value';
  if (!schema || typeof schema !== 'object' || depth > 3) return 'something else';
  const node = schema as Schema;
  if (typeof node.$ref === 'string') {
    const name = /#\/\$defs\/([^/]+)$/.exec(node.$ref)?.[1];
    if (name && DEFINITION_WORDS[name]) return DEFINITION_WORDS[name];
    return describeSchema(resolve(node.$ref), resolve, depth + 1);
  }
  if (Array.isArray(node.enum)) return `one of ${node.enum.map(String).join(', ')}`;
  if (typeof node.const === 'string') return `\`${node.const}\``;
  if (node.type === 'array') return node.items ? `a list of ${plural(describeSchema(node.items, resolve, depth + 1))}` : 'a list';
  if (node.type === 'object' && node.properties && typeof node.properties === 'object') {
    return `{ ${Object.keys(node.properties).join(', ')} }`;
  }
  return typeWords(node.type ?? 'value');
}

function plural(description: string): string {
  // `a condition { type, if }` → `conditions { type, if }`; `a string` → `strings`.
  const match = /^an? (\S+)(.*)$/.exec(description);
  return match ? `${match[1]}s${match[2]}` : description;
}
