import { describe, expect, it } from 'vitest';
import { extractJsonText, parseOutput, readJson, stripCodeFence } from '../../src/outputs/index.js';
import { SchemaValidators } from '../../src/spec/index.js';

const PLAN_SCHEMA = {
  type: 'object',
  required: ['title', 'steps'],
  properties: { title: { type: 'string' }, steps: { type: 'array', items: { type: 'string' } }, kind: { enum: ['a', 'b'] } },
  additionalProperties: false,
};

describe('JSON outputs', () => {
  it('extracts JSON from a fenced block inside prose', () => {
    const reply = 'Here is the plan:\n```json\n{"title": "x", "steps": []}\n```\nHope it helps!';
    expect(extractJsonText(reply)).toBe('{"title": "x", "steps": []}');
  });

  it('extracts JSON from prose without fences', () => {
    expect(readJson('Sure! {"a": [1, 2]} done.')).toEqual({ ok: true, value: { a: [1, 2] }, repaired: false });
  });

  it('repairs trailing commas, comments and truncation', () => {
    expect(readJson('{"a": 1, // note\n "b": [1, 2,],}')).toMatchObject({ ok: true, value: { a: 1, b: [1, 2] }, repaired: true });
    expect(readJson('```json\n{"a": "unterminated')).toMatchObject({ ok: true, value: { a: 'unterminated' } });
  });

  it('refuses text that holds no JSON', () => {
    const result = readJson('');
    expect(result.ok).toBe(false);
  });

  it('validates against the schema and names missing and invalid fields', () => {
    const validators = new SchemaValidators();
    const validate = (value: unknown): string[] => validators.validate('Plan', PLAN_SCHEMA, value);
    const result = parseOutput('{"steps": "one", "kind": "c", "extra": 1}', 'json', validate);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain('/title: required property is missing');
    expect(result.errors).toContain('/steps: must be array');
    expect(result.errors).toContain('/kind: must be one of ["a","b"]');
    expect(result.errors).toContain('/extra: property is not allowed');
  });

  it('gives the parsed payload and pretty JSON content when valid', () => {
    const validators = new SchemaValidators();
    const result = parseOutput('```\n{"title":"t","steps":["s"]}\n```', 'json', (value) => validators.validate('Plan', PLAN_SCHEMA, value));
    expect(result).toEqual({ ok: true, content: '{\n  "title": "t",\n  "steps": [\n    "s"\n  ]\n}', payload: { title: 't', steps: ['s'] } });
  });
});

describe('code outputs', () => {
  it('strips one surrounding fence', () => {
    expect(stripCodeFence('```python\nprint(1)\n```')).toBe('print(1)\n');
    expect(stripCodeFence('  ```\nx = 1\n```  \n')).toBe('x = 1\n');
  });

  it('takes the only fenced block of a reply with prose', () => {
    expect(stripCodeFence('Here you go:\n```js\nconsole.log(1)\n```\nEnjoy.')).toBe('console.log(1)\n');
  });

  it('leaves unfenced code and multi-block replies as written, ending them with a newline', () => {
    expect(stripCodeFence('print(1)\n')).toBe('print(1)\n');
    expect(stripCodeFence('print(1)')).toBe('print(1)\n');
    const two = '```\na\n```\ntext\n```\nb\n```';
    expect(stripCodeFence(two)).toBe(`${two}\n`);
  });

  it('text and markdown pass through untouched', () => {
    expect(parseOutput('```\nkeep\n```', 'markdown')).toEqual({ ok: true, content: '```\nkeep\n```', payload: undefined });
    expect(parseOutput(' as is ', 'text')).toEqual({ ok: true, content: ' as is ', payload: undefined });
  });
});

describe('SchemaValidators', () => {
  it('compiles two schemas that share an $id without clashing', () => {
    const validators = new SchemaValidators();
    const schema = (required: string) => ({ $id: 'https://example.com/shared.json', type: 'object', required: [required] });
    expect(validators.validate('A', schema('a'), {})).toEqual(['/a: required property is missing']);
    expect(validators.validate('B', schema('b'), {})).toEqual(['/b: required property is missing']);
  });
});
