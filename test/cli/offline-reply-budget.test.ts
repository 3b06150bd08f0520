import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_LINE, removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

const listSop = (schema: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: huge, version: 1.0.0 }
messages:
  Idea: { description: the idea }
  List:
    description: a list
    schema: ${schema}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  lister:
    profile: Lister
    watch: [Idea]
    actions:
      - id: list
        prompt: "List things about {{ message.content }}"
        output: { type: List, format: json }
stop_when: { type: List }
`;

/**
 * The offline model built what a schema's minimums asked for, whatever they were: `minItems:
 * 100000000` ran until it was killed, `minLength: 1000000000` grew to 4.5 GB and died with V8's
 * native stack. A reply now holds at most 10,000 items and properties and 1,000,000 padded characters.
 */
describe('sop run on the offline model: a schema asking for more than any reply holds', () => {
  it.each([
    ['minItems: 100000000', '{ type: object, additionalProperties: false, required: [items], properties: { items: { type: array, minItems: 100000000, items: { type: integer } } } }', '/items: must NOT have fewer than 100000000 items'],
    ['minLength: 1000000000', '{ type: object, additionalProperties: false, required: [text], properties: { text: { type: string, minLength: 1000000000 } } }', '/text: must NOT have fewer than 1000000000 characters'],
    ['minItems: 1000 at three levels', '{ type: object, additionalProperties: false, required: [grid], properties: { grid: { type: array, minItems: 1000, items: { type: array, minItems: 1000, items: { type: array, minItems: 1000, items: { type: integer } } } } } }', 'must NOT have fewer than 1000 items'],
  ])('%s: the action fails at once with the schema error and how to go on, no crash', async (_name, schema, error) => {
    const cwd = tempDir('sop-offline-budget-');
    writeFileSync(path.join(cwd, 'sop.yaml'), listSop(schema));
    const result = await sop(['run', 'sop.yaml', 'tide pools'], { cwd });
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('error OUTPUT_INVALID: role lister, action list: the output is not a valid List after 3 attempts:');
    expect(result.stderr).toContain(error);
    expect(result.stderr).toContain('script this answer');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a schema within the budget still gets a valid reply (minItems: 500, minLength: 20000)', async () => {
    const cwd = tempDir('sop-offline-budget-');
    writeFileSync(path.join(cwd, 'sop.yaml'), listSop('{ type: object, additionalProperties: false, required: [items, text], properties: { items: { type: array, minItems: 500, items: { type: integer } }, text: { type: string, minLength: 20000 } } }'));
    const result = await sop(['run', 'sop.yaml', 'tide pools'], { cwd });
    expect(result.code, result.stderr).toBe(0);
  });
});
