import { afterAll, describe, expect, test } from 'vitest';
import { cleanTempDirs, errors, positionOf, validateText } from './helpers.js';

afterAll(cleanTempDirs);

/** A planner whose JSON `Plan` has the field `tasks` as `tasksSchema` says, and a worker that fans out over `foreach`. */
const sop = (tasksSchema: string, foreach = 'message.payload.tasks', artifacts = '') => `apiVersion: sop/v1
kind: SOP
metadata: { name: demo, version: 1.0.0 }
messages:
  UserRequirement: { description: the idea }
  Plan:
    schema:
      type: object
      properties:
        tasks: ${tasksSchema}
        steps: { type: object, properties: { list: { type: array } } }
      $defs: { text: { type: [string, "null"] } }
  Done: { description: done }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  planner:
    profile: Planner
    watch: [UserRequirement]
    actions:
      - id: plan
        prompt: "Plan {{ message.content }}"
        output: { type: Plan, format: json }
${artifacts}  worker:
    profile: Worker
    watch: [Plan]
    actions:
      - id: work
        foreach: ${foreach}
        prompt: "Do {{ item }}"
        output: { type: Done }
stop_when: { type: Done }
`;

/**
 * A `foreach` over a payload field its schema declares a string passed `sop validate`, and the run
 * failed at the first Plan ("must give a list"), after the planner's model call was paid for.
 */
describe('foreach over a payload field that its schema does not declare an array', () => {
  test('a field declared `type: string` is an error at the foreach, naming the declared type', async () => {
    const text = sop('{ type: string }');
    const [error, ...others] = errors(await validateText(text));
    expect(others).toEqual([]);
    expect(error).toMatchObject({
      code: 'EXPRESSION_TYPE', pointer: '/roles/worker/actions/0/foreach', ...positionOf(text, 'message.payload.tasks'),
      message: '`foreach` must give a list; `message.payload.tasks` is declared `type: string` in the schema of `Plan`',
      expected: 'an array field (`type: array` in the payload\'s schema)',
    });
  });

  test('any non-array type counts, through `$ref` and `anyOf`, nested fields and the long form `{ items }` too', async () => {
    const text = sop('{ anyOf: [{ type: object }, { $ref: "#/$defs/text" }] }', '{ items: message.payload.tasks, concurrency: 2 }');
    const [error] = errors(await validateText(text));
    expect(error).toMatchObject({ pointer: '/roles/worker/actions/0/foreach/items', message: expect.stringContaining('is declared `type: object` or `type: string` or `type: null`') });
    const nested = errors(await validateText(sop('{ type: array }', 'message.payload.steps')));
    expect(nested.map((diagnostic) => diagnostic.message)).toEqual([expect.stringContaining('`message.payload.steps` is declared `type: object`')]);
  });

  test('an artifact\'s foreach over its output\'s payload is checked too', async () => {
    const artifacts = '        artifacts: [{ path: "out/{{ item }}.md", content: "{{ item }}", foreach: payload.tasks }]\n';
    const text = sop('{ type: integer }', 'message.payload.steps.list').replace('        output: { type: Plan, format: json }\n', `        output: { type: Plan, format: json }\n${artifacts}`);
    expect(errors(await validateText(text))).toMatchObject([{ pointer: '/roles/planner/actions/0/artifacts/0/foreach', message: 'an artifact\'s `foreach` must give a list; `payload.tasks` is declared `type: integer` in the schema of `Plan`' }]);
  });

  test('arrays, fields with no declared type, and expressions other than a plain path are left alone', async () => {
    for (const [schema, foreach] of [
      ['{ type: array, items: { type: string } }', 'message.payload.tasks'],
      ['{ type: [array, "null"] }', 'message.payload.tasks'],
      ['{ description: anything }', 'message.payload.tasks'],
      ['{ type: string }', 'message.payload.tasks.split(",")'],
      ['{ type: array }', 'message.payload.steps.list'],
    ] as const) {
      expect(errors(await validateText(sop(schema, `'${foreach}'`))), `${schema} / ${foreach}`).toEqual([]);
    }
  });
});
