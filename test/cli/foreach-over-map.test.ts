import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A dependency review fanned out over package.json's `dependencies`: a map of name to range, not a list. */
const reviewSop = (foreach: string): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: dep-review, version: 0.1.0 }
messages:
  Request: { description: the manifest to review }
  Inventory:
    schema:
      type: object
      additionalProperties: false
      required: [dependencies]
      properties:
        dependencies: { type: object, additionalProperties: { type: string } }
  Review: { description: one package's verdict }
start: [{ type: Request, content: "{{ inputs.idea }}" }]
roles:
  analyst:
    profile: Analyst
    watch: [Request]
    actions:
      - { id: inventory, prompt: "List the dependencies of {{ message.content }}", output: { type: Inventory, format: json } }
  reviewer:
    profile: Reviewer
    watch: [Inventory]
    actions:
      - id: review
        foreach: ${foreach}
        prompt: "Review the upgrade of {{ item }}"
        output: { type: Review, format: markdown }
        artifacts: [{ path: "reviews/{{ item }}.md" }]
stop_when: { type: Review }
`;

const ANSWERS = `apiVersion: sop-script/v1
answers:
  - { role: analyst, action: inventory, output: { dependencies: { lodash: "^4.17.20", express: "^4.18.2" } } }
  - { role: reviewer, action: review, output: "# Verdict\\n\\nupgrade" }
`;

describe('a foreach over an object field (a map such as package.json\'s dependencies)', () => {
  it('is refused with the CEL that goes over its keys; following the hint, the run fans out over the keys', async () => {
    const cwd = tempDir('sop-foreach-map-');
    writeFileSync(path.join(cwd, 'review.yaml'), reviewSop('message.payload.dependencies'));
    const refused = await sop(['validate', 'review.yaml'], { cwd });
    expect(refused.code, refused.stdout).toBe(3);
    expect(refused.stdout).toContain('review.yaml:26:18: error EXPRESSION_TYPE: `foreach` must give a list; `message.payload.dependencies` is declared `type: object` in the schema of `Inventory`');
    expect(refused.stdout).toContain('hint: to go over its keys, write `message.payload.dependencies.map(key, key)` (each key is then `item`); or iterate over an array field, or declare `dependencies` with `type: array` and its `items`');
    expect(refused.stdout).not.toMatch(STACK_LINE);

    const written = /write `([^`]+)`/.exec(refused.stdout)?.[1] as string;
    writeFileSync(path.join(cwd, 'review.yaml'), reviewSop(written));
    writeFileSync(path.join(cwd, 'answers.yaml'), ANSWERS);
    const run = await sop(['run', 'review.yaml', 'package.json', '--model', 'script:answers.yaml', '--ci'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('messages: 4 (Request 1, Inventory 1, Review 2)');
    for (const name of ['lodash', 'express']) expect(existsSync(path.join(cwd, 'workspace', 'dep-review', 'reviews', `${name}.md`))).toBe(true);
  });

  it('without a schema, the run that meets the map says the same where it stops (exit 9)', async () => {
    const cwd = tempDir('sop-foreach-map-run-');
    const open = reviewSop('message.payload.dependencies').replace(/ {2}Inventory:\n {4}schema:\n(?: {6}.*\n)+/, '  Inventory: { description: the dependencies }\n');
    writeFileSync(path.join(cwd, 'review.yaml'), open);
    writeFileSync(path.join(cwd, 'answers.yaml'), ANSWERS);
    const run = await sop(['run', 'review.yaml', 'package.json', '--model', 'script:answers.yaml', '--ci'], { cwd });
    expect(run.code, run.stderr).toBe(9);
    expect(run.stderr).toContain('error EXPRESSION_EVAL: the `foreach` expression `message.payload.dependencies` gave object, expected a list\n');
    expect(run.stderr).toContain('  hint: to go over its keys, write `message.payload.dependencies.map(key, key)` (each key is then `item`)\n');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
