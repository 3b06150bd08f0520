import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { generateFromSchema } from '../../../src/providers/offline/index.js';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** The same ajv settings the runtime uses for payload schemas. */
function createAjv(): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, logger: false });
  addFormats(ajv);
  return ajv;
}

function expectValid(schema: Record<string, unknown>, value: unknown): void {
  const validate = createAjv().compile(schema);
  const ok = validate(value);
  expect(validate.errors ?? [], JSON.stringify(value, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

const PROMPT = 'Requirement: Build a simple todo CLI in JavaScript.';

const CORPUS: Record<string, Record<string, unknown>> = {
  'flat object with every primitive': {
    type: 'object',
    required: ['title', 'count', 'ratio', 'done'],
    properties: { title: { type: 'string' }, count: { type: 'integer' }, ratio: { type: 'number' }, done: { type: 'boolean' } },
    additionalProperties: false,
  },
  'nested objects': {
    type: 'object',
    required: ['project'],
    properties: {
      project: {
        type: 'object',
        required: ['owner', 'settings'],
        properties: {
          owner: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 3 } } },
          settings: { type: 'object', properties: { verbose: { type: 'boolean' }, level: { type: 'integer', minimum: 3, maximum: 7 } } },
        },
      },
    },
  },
  '$defs references': {
    type: 'object',
    required: ['stories'],
    properties: { stories: { type: 'array', items: { $ref: '#/$defs/story' }, minItems: 3 } },
    $defs: {
      story: {
        type: 'object',
        required: ['as_a', 'i_want', 'priority'],
        properties: { as_a: { type: 'string' }, i_want: { type: 'string', minLength: 40 }, priority: { $ref: '#/$defs/priority' } },
      },
      priority: { enum: ['P0', 'P1', 'P2'] },
    },
  },
  'draft-07 definitions': {
    type: 'object',
    required: ['task'],
    properties: { task: { $ref: '#/definitions/task' } },
    definitions: { task: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 12 } } } },
  },
  'enums and consts': {
    type: 'object',
    required: ['kind', 'version', 'level'],
    properties: { kind: { const: 'prd' }, version: { enum: [1, 2, 3] }, level: { type: 'string', enum: ['low', 'medium', 'high'] } },
  },
  'arrays with minItems, maxItems and uniqueItems': {
    type: 'object',
    required: ['tags', 'numbers', 'pair', 'colors'],
    properties: {
      tags: { type: 'array', items: { type: 'string' }, minItems: 4, uniqueItems: true },
      numbers: { type: 'array', items: { type: 'integer', minimum: 10, maximum: 20 }, minItems: 3, uniqueItems: true },
      pair: { type: 'array', items: { type: 'string' }, maxItems: 1 },
      colors: { type: 'array', items: { enum: ['red', 'green', 'blue'] }, minItems: 3, uniqueItems: true },
    },
  },
  // Generated items that collide (cut to maxLength, rounded onto the grid) are replaced by other values.
  'unique items that collide as generated': {
    type: 'object',
    required: ['tags', 'letters', 'initials', 'small', 'fives', 'ratios', 'flags'],
    properties: {
      tags: { type: 'array', items: { type: 'string', minLength: 3, maxLength: 5 }, minItems: 3, uniqueItems: true },
      letters: { type: 'array', items: { type: 'string', pattern: '^[a-z]{3}$' }, minItems: 4, uniqueItems: true },
      initials: { type: 'array', items: { type: 'string', maxLength: 1 }, minItems: 3, uniqueItems: true },
      small: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 3 }, minItems: 3, uniqueItems: true },
      fives: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 20, multipleOf: 5 }, minItems: 5, uniqueItems: true },
      ratios: { type: 'array', items: { type: 'number', minimum: 0.1, maximum: 0.2 }, minItems: 4, uniqueItems: true },
      flags: { type: 'array', items: { type: 'boolean' }, minItems: 2, uniqueItems: true },
    },
  },
  formats: {
    type: 'object',
    required: ['day', 'at', 'email', 'site', 'uid', 'host', 'ip'],
    properties: {
      day: { type: 'string', format: 'date' },
      at: { type: 'string', format: 'date-time' },
      email: { type: 'string', format: 'email' },
      site: { type: 'string', format: 'uri' },
      uid: { type: 'string', format: 'uuid' },
      host: { type: 'string', format: 'hostname' },
      ip: { type: 'string', format: 'ipv4' },
      clock: { type: 'string', format: 'time' },
      list: { type: 'array', items: { type: 'string', format: 'date' }, minItems: 3, uniqueItems: true },
    },
  },
  patterns: {
    type: 'object',
    required: ['module', 'slug', 'code', 'semver', 'constant', 'ticket'],
    properties: {
      module: { type: 'string', pattern: '^[a-z_]+$' },
      slug: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
      code: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
      semver: { type: 'string', pattern: '^v?\\d+\\.\\d+\\.\\d+$' },
      constant: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 10 },
      ticket: { type: 'string', pattern: '^(feat|fix|docs): .+$' },
    },
  },
  'oneOf discriminated union': {
    type: 'object',
    required: ['shape'],
    properties: {
      shape: {
        oneOf: [
          { type: 'object', required: ['kind', 'radius'], properties: { kind: { const: 'circle' }, radius: { type: 'number', exclusiveMinimum: 0 } } },
          { type: 'object', required: ['kind', 'side'], properties: { kind: { const: 'square' }, side: { type: 'number' } } },
        ],
      },
    },
  },
  'oneOf where the first branch also matches the second': {
    oneOf: [{ type: 'string' }, { type: 'string', maxLength: 200 }, { type: 'integer' }],
  },
  'anyOf and nullable': {
    type: 'object',
    required: ['note', 'parent', 'size'],
    properties: {
      note: { type: ['string', 'null'], minLength: 5 },
      parent: { anyOf: [{ type: 'null' }, { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }] },
      size: { anyOf: [{ type: 'integer', minimum: 100 }, { type: 'string' }] },
    },
  },
  'allOf merged': {
    allOf: [
      { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
      { type: 'object', required: ['b'], properties: { b: { type: 'integer', minimum: 5 } } },
      { properties: { a: { maxLength: 8 } } },
    ],
  },
  'numbers: bounds and multipleOf': {
    type: 'object',
    required: ['percent', 'step', 'negative', 'fraction', 'tight', 'decimal'],
    properties: {
      percent: { type: 'integer', minimum: 0, maximum: 100, multipleOf: 5 },
      step: { type: 'number', multipleOf: 0.25, minimum: 2 },
      negative: { type: 'integer', maximum: -10 },
      fraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      tight: { type: 'integer', exclusiveMinimum: 41, exclusiveMaximum: 43 },
      decimal: { type: 'number', multipleOf: 0.1, minimum: 0.25, maximum: 0.9 },
    },
  },
  'defaults and examples': {
    type: 'object',
    required: ['mode', 'port', 'name'],
    properties: {
      mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe' },
      port: { type: 'integer', examples: [8080] },
      name: { type: 'string', pattern: '^x-[0-9]{2}$', examples: ['bad', 'x-42'] },
      broken_default: { type: 'integer', minimum: 10, default: 3 },
    },
  },
  'string lengths': {
    type: 'object',
    required: ['short', 'long', 'exact'],
    properties: {
      short: { type: 'string', maxLength: 3 },
      long: { type: 'string', minLength: 120 },
      exact: { type: 'string', minLength: 7, maxLength: 7 },
    },
  },
  'tuples with prefixItems': {
    type: 'array',
    prefixItems: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }],
    items: false,
    minItems: 3,
  },
  'recursive tree': {
    $ref: '#/$defs/node',
    $defs: {
      node: {
        type: 'object',
        required: ['label', 'children'],
        properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
      },
    },
  },
  'maps: additionalProperties, patternProperties, minProperties': {
    type: 'object',
    required: ['scores', 'env'],
    properties: {
      scores: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, minProperties: 2 },
      env: { type: 'object', patternProperties: { '^[A-Z_]+$': { type: 'string' } }, additionalProperties: false, minProperties: 1 },
      free: { type: 'object' },
    },
  },
  'if/then/else': {
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: ['file', 'url'] }, path: { type: 'string' }, url: { type: 'string' } },
    if: { properties: { kind: { const: 'file' } } },
    then: { required: ['path'] },
    else: { required: ['url'] },
  },
  'contains and top-level array': {
    type: 'array',
    items: { type: 'integer' },
    contains: { minimum: 50 },
    minItems: 2,
  },
};

describe('generateFromSchema: every value validates with ajv (2020-12, formats)', () => {
  it('has a corpus of at least 15 diverse schemas', () => {
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(15);
  });

  for (const [name, schema] of Object.entries(CORPUS)) {
    it(name, () => {
      expectValid(schema, generateFromSchema(schema, { prompt: PROMPT }));
    });
  }
});

describe('generateFromSchema: values', () => {
  it('prefers an enum value the prompt names as a whole word, else the first', () => {
    const schema = { type: 'object', properties: { language: { enum: ['python', 'javascript', 'go'] } } };
    expect(generateFromSchema(schema, { prompt: 'A todo CLI in JavaScript, please.' })).toEqual({ language: 'javascript' });
    expect(generateFromSchema(schema, { prompt: 'A todo CLI.' })).toEqual({ language: 'python' });
    // "pythonic" is not the word "python".
    expect(generateFromSchema(schema, { prompt: 'A pythonic todo CLI in go' })).toEqual({ language: 'go' });
  });

  it('uses default, then examples[0], then const before generating', () => {
    expect(generateFromSchema({ type: 'string', default: 'd', examples: ['e'] })).toBe('d');
    expect(generateFromSchema({ type: 'integer', examples: [7, 8] })).toBe(7);
    expect(generateFromSchema({ const: { a: 1 } })).toEqual({ a: 1 });
    // An invalid default is skipped.
    expect(generateFromSchema({ type: 'integer', minimum: 10, default: 3 })).toBe(10);
  });

  it('fills every property, required and optional, in schema order', () => {
    const schema = { type: 'object', required: ['b'], properties: { c: { type: 'string' }, b: { type: 'string' }, a: { type: 'integer' } } };
    expect(Object.keys(generateFromSchema(schema) as object)).toEqual(['c', 'b', 'a']);
  });

  it('gives arrays max(minItems, 2) items within maxItems, unique when asked', () => {
    expect(generateFromSchema({ type: 'array', items: { type: 'string' } })).toHaveLength(2);
    expect(generateFromSchema({ type: 'array', items: { type: 'string' }, minItems: 5 })).toHaveLength(5);
    expect(generateFromSchema({ type: 'array', items: { type: 'string' }, maxItems: 1 })).toHaveLength(1);
    const colors = generateFromSchema({ type: 'array', items: { enum: ['r', 'g', 'b'] }, minItems: 3, uniqueItems: true });
    expect(new Set(colors as string[]).size).toBe(3);
  });

  it('derives strings from the field name and the topic of the prompt', () => {
    const value = generateFromSchema({ type: 'object', properties: { title: { type: 'string' } } }, { prompt: 'Build a todo CLI in Python' });
    expect(value).toEqual({ title: 'Todo CLI title' });
  });

  it('writes relative file paths whose extension follows the language chosen in the same object (source files: tests only where a field asks for tests)', () => {
    const schema = {
      type: 'object',
      properties: {
        files: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' } } } },
        language: { enum: ['python', 'javascript', 'go'] },
        main_file: { type: 'string' },
      },
    };
    const js = generateFromSchema(schema, { prompt: 'Build a todo CLI in JavaScript' }) as { files: Array<{ path: string }>; main_file: string };
    expect(js.files.map((file) => file.path)).toEqual(['todo-cli.js', 'todo-cli-utils.js']);
    expect(js.main_file).toBe('todo-cli.js');
    const go = generateFromSchema(schema, { prompt: 'Build a todo CLI in Go' }) as { files: Array<{ path: string }> };
    expect(go.files.map((file) => file.path)).toEqual(['main.go', 'todo_cli_utils.go']);
    const python = generateFromSchema({ type: 'array', items: { type: 'string' }, minItems: 8 }, { prompt: 'x' });
    expect(python).toHaveLength(8);
    const paths = generateFromSchema({ type: 'object', properties: { file_list: { type: 'array', items: { type: 'string' }, minItems: 9 } } }, { prompt: 'Build a todo CLI' }) as { file_list: string[] };
    expect(paths.file_list.slice(0, 2)).toEqual(['todo_cli.py', 'todo_cli_utils.py']);
    expect(new Set(paths.file_list).size).toBe(9);
    const tests = generateFromSchema({ type: 'object', properties: { test_files: { type: 'array', items: { type: 'string' }, minItems: 2 } } }, { prompt: 'Build a todo CLI' }) as { test_files: string[] };
    expect(tests.test_files).toEqual(['tests/test_todo_cli.py', 'tests/test_todo_cli_utils.py']);
    for (const path of paths.file_list) {
      expect(path).not.toMatch(/^\/|(^|\/)\.\.(\/|$)/);
      expect(path).toMatch(/\.py$/);
    }
  });

  it('reuses the file paths a previous step listed in the prompt, one item per path', () => {
    const tasks = {
      type: 'object',
      properties: {
        tasks: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['file', 'depends_on'],
            properties: { file: { type: 'string', pattern: '^(?![/\\\\])(?!.*\\.\\.)[A-Za-z0-9_./-]+$' }, depends_on: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    };
    const prompt = '# System design\n\n## File list\n\n- `app/main.py`\n- `app/store.py`\n- `README.md`\n\n## 1. `app/main.py`\n';
    const value = generateFromSchema(tasks, { prompt }) as { tasks: Array<{ file: string; depends_on: string[] }> };
    expect(value.tasks.map((task) => task.file)).toEqual(['app/main.py', 'app/store.py', 'README.md']);
    // What a file depends on cannot be known offline: none is claimed.
    expect(value.tasks.map((task) => task.depends_on)).toEqual([[], [], []]);
    expectValid(tasks, value);
  });

  it('fills a {path, content} object with code for that path', () => {
    const schema = {
      type: 'object',
      properties: {
        files: { type: 'array', items: { type: 'object', required: ['path', 'content'], properties: { path: { type: 'string' }, content: { type: 'string' } } } },
      },
    };
    const value = generateFromSchema(schema, { prompt: '## todo.py\n\n## tests/test_todo.py\n' }) as { files: Array<{ path: string; content: string }> };
    expect(value.files.map((file) => file.path)).toEqual(['todo.py', 'tests/test_todo.py']);
    expect(value.files[0]?.content).toContain('def main(argv=None):');
    expect(value.files[1]?.content).toContain('class ProjectCompilesTest(unittest.TestCase):');
  });

  it('restates the request in requirement-like fields and numbers ids that follow a pattern', () => {
    const schema = {
      type: 'object',
      properties: {
        original_requirement: { type: 'string' },
        pool: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', pattern: '^R\\d+$' } } }, minItems: 3 },
      },
    };
    const value = generateFromSchema(schema, { prompt: '# Requirement\n\na CLI todo app\n\n# Your task\nWrite the PRD.' }) as { original_requirement: string; pool: Array<{ id: string }> };
    expect(value.original_requirement).toBe('a CLI todo app');
    expect(value.pool.map((item) => item.id)).toEqual(['R1', 'R2', 'R3']);
  });

  it('answers a string field that asks for a Mermaid diagram with the right diagram type', () => {
    const schema = {
      type: 'object',
      properties: {
        competitive_quadrant_chart: { type: 'string', description: 'Mermaid quadrantChart code' },
        data_structures_and_interfaces: { type: 'string', description: 'Use mermaid classDiagram code syntax' },
        program_call_flow: { type: 'string', description: 'Use sequenceDiagram code syntax, using the CLASSES defined above' },
        flow: { type: 'string', description: 'A mermaid diagram of the steps' },
      },
    };
    const value = generateFromSchema(schema, { prompt: PROMPT }) as Record<string, string>;
    expect(value.competitive_quadrant_chart?.split('\n')[0]).toBe('quadrantChart');
    expect(value.data_structures_and_interfaces?.split('\n')[0]).toBe('classDiagram');
    expect(value.program_call_flow?.split('\n')[0]).toBe('sequenceDiagram');
    expect(value.flow?.split('\n')[0]).toBe('flowchart TD');
  });

  it('applies the ordering rule: one array item per sequence value, in order', () => {
    const schema = {
      type: 'object',
      required: ['plan'],
      properties: { plan: { type: 'array', items: { type: 'object', properties: { step: { enum: ['a', 'b', 'c'] }, why: { type: 'string' } } } } },
    };
    const value = generateFromSchema(schema, { sequence: ['c', 'a', 'b'] }) as { plan: Array<{ step: string }> };
    expect(value.plan.map((item) => item.step)).toEqual(['c', 'a', 'b']);
  });

  it('keeps recursive schemas small: a recursion only gets what it requires', () => {
    const tree = generateFromSchema(CORPUS['recursive tree'] as Record<string, unknown>) as { children: Array<{ children: unknown[] }> };
    expect(tree.children).toHaveLength(2);
    expect(tree.children.map((child) => child.children)).toEqual([[], []]);
  });

  it('builds strings matching simple patterns from the field name', () => {
    const value = generateFromSchema(CORPUS.patterns as Record<string, unknown>, { prompt: PROMPT }) as Record<string, string>;
    expect(value.module).toBe('todo_cli_module');
    expect(value.slug).toBe('todo-cli-slug');
    expect(value.ticket).toBe('feat: Todo CLI ticket');
  });

  it('never throws on odd or broken schemas', () => {
    const odd: unknown[] = [
      true,
      false,
      {},
      { type: 'nonsense' },
      { type: [] },
      { enum: [] },
      { properties: [] },
      { required: 'x', properties: { x: false } },
      { items: 5 },
      { $ref: '#/$defs/missing' },
      { $ref: '#' },
      { $ref: 'https://example.com/remote.json' },
      { type: 'string', pattern: '(?<broken' },
      { type: 'string', pattern: '^(?=look)ahead\\1$' },
      { type: 'string', pattern: 'a{99999999}' },
      { type: 'string', minLength: 200000 },
      { type: 'object', patternProperties: { '([': { type: 'string' } }, minProperties: 2, additionalProperties: false },
      { allOf: [{ type: 'string' }, { type: 'integer' }] },
      { oneOf: [] },
      { type: 'integer', minimum: 5, maximum: 1 },
      { type: 'integer', multipleOf: 0 },
    ];
    for (const schema of odd) {
      expect(() => generateFromSchema(schema as Record<string, unknown>)).not.toThrow();
    }
    expect((generateFromSchema({ type: 'string', minLength: 200000 }) as string).length).toBeGreaterThanOrEqual(200000);
  });

  it('is deterministic', () => {
    for (const schema of Object.values(CORPUS)) {
      expect(JSON.stringify(generateFromSchema(schema, { prompt: PROMPT }))).toBe(JSON.stringify(generateFromSchema(schema, { prompt: PROMPT })));
    }
  });
});
