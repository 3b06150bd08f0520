import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { lastRun, project, run } from './providers-helpers.js';

/**
 * A loop over a payload's list (`{% for step in message.payload.steps %}{{ step.title }}`, or
 * `{{#each}}`) reading a field an item lacks is told as the same field read outside a loop
 * (`{{ message.payload.title }}`) is: in an action's prompt, TEMPLATE_RENDER at the template's line
 * naming the field, the item's index and the message type, with the schema fix; in an artifact's
 * template, the answer is asked again, and OUTPUT_INVALID once no attempt is left. Both engines.
 */
afterAll(removeTempDirs);

type Engine = 'liquid' | 'handlebars';

/** `{% for %}` or `{{#each}}` over `list`, printing each item's `field`. */
function loop(engine: Engine, list: string, field: string): string {
  return engine === 'liquid' ? `{% for step in ${list} %}- {{ step.${field} }}\\n{% endfor %}` : `{{#each ${list}}}- {{ ${field} }}\\n{{/each}}`;
}

/** A planner whose JSON `Plan` has steps (`title` not required), and a writer whose prompt reads it as `writerPrompt`. */
function sop(engine: Engine, writerPrompt: string, artifact = '', writerWhen = ''): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: plans, version: 1.0.0 }
settings: { templates: ${engine} }
messages:
  Idea: { description: An idea }
  Plan:
    description: A plan
    schema:
      type: object
      properties:
        title: { type: string }
        steps: { type: array, items: { type: object, properties: { name: { type: string }, title: { type: string } } } }
      required: [steps]
  Done: { description: Done }
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
stop_when: { type: Done }
roles:
  planner:
    profile: Planner
    goal: Plan
    watch: [Idea]
    actions:
      - id: plan
        prompt: "Plan {{ inputs.idea }}"
        output: { type: Plan, format: json, max_attempts: 2 }${artifact}
  writer:
    profile: Writer
    goal: Write
    watch: [Plan]
    actions:
      - id: write${writerWhen}
        prompt: "Write it.\\n${writerPrompt}"
        output: { type: Done }
`;
}

/** A project folder with the SOP and a script of these answers. */
function projectWith(text: string, answers: string[]): string {
  const cwd = project();
  writeFileSync(path.join(cwd, 'plans.sop.yaml'), text);
  writeFileSync(path.join(cwd, 'answers.yaml'), `apiVersion: sop-script/v1\nanswers:\n${answers.map((answer) => `  - ${answer}\n`).join('')}`);
  return cwd;
}

const RUN = ['run', 'plans.sop.yaml', 'an app', '--model', 'script:answers.yaml', '--workspace', 'out'];

/** Steps whose second lacks `title`. */
const STEPS = '{ steps: [{ name: a, title: First }, { name: b }] }';

const SCHEMA_FIX = '(a model that sends it is then asked for it up front, and an answer without it is asked again), or let the prompt do without it (an `if` around it)';

describe.concurrent.each(['liquid', 'handlebars'] as const)('a %s loop reading a field an item lacks', (engine) => {
  it('in a prompt, outside a loop: TEMPLATE_RENDER at the read, naming the field and the message type', async () => {
    const cwd = projectWith(sop(engine, 'Title: {{ message.payload.title }}'), [`{ role: planner, action: plan, output: ${STEPS} }`]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain(
      'plans.sop.yaml:34:39: error TEMPLATE_RENDER: role writer, action write: the prompt reads `message.payload.title`, and the Plan message from planner has no field `title`\n' +
        `  hint: list \`title\` under \`required\` in the schema of message type Plan ${SCHEMA_FIX}\n`,
    );
    expect(result.stderr.match(/error /g)).toHaveLength(1);
  });

  it('in a prompt, inside a loop: the same error, naming the item by its index', async () => {
    const cwd = projectWith(sop(engine, loop(engine, 'message.payload.steps', 'title')), [`{ role: planner, action: plan, output: ${STEPS} }`]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    const column = engine === 'liquid' ? 73 : 65;
    expect(result.stderr).toContain(
      `plans.sop.yaml:34:${column}: error TEMPLATE_RENDER: role writer, action write: the prompt reads \`message.payload.steps[].title\`, ` +
        'and the item at index 1 of `steps` in the Plan message from planner has no field `title`\n' +
        `  hint: list \`title\` under \`required\` in the schema of message type Plan, in its items of \`steps\` ${SCHEMA_FIX}\n`,
    );
    expect(result.stderr.match(/error /g)).toHaveLength(1);
    expect(lastRun(cwd).report.status).toBe('failed');
  });

  it('in a prompt, a field below the one an item lacks: the item\'s field is named', async () => {
    const cwd = projectWith(sop(engine, loop(engine, 'message.payload.steps', 'meta.title')), [`{ role: planner, action: plan, output: ${STEPS} }`]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toMatch(
      /error TEMPLATE_RENDER: role writer, action write: the prompt reads `message\.payload\.steps\[\]\.meta\.title`, and the item at index 0 of `steps` in the Plan message from planner has no field `meta`\n/,
    );
  });

  it('in a batch prompt, a loop over `messages`: the message is named by its index', async () => {
    const prompt = engine === 'liquid' ? '{% for m in messages %}{{ m.payload.title }}{% endfor %}' : '{{#each messages}}{{ payload.title }}{{/each}}';
    const cwd = projectWith(sop(engine, prompt, '', '\n        when: { batch: true }'), [`{ role: planner, action: plan, output: ${STEPS} }`]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toMatch(
      /error TEMPLATE_RENDER: role writer, action write: the prompt reads `messages\[\]\.payload\.title`, and the Plan message from planner at index 0 of `messages` has no field `title`\n/,
    );
  });

  it('in an artifact, outside a loop and inside one alike: the answer is asked again, then OUTPUT_INVALID naming the item', async () => {
    const artifact = `\n        artifacts:\n          - path: plan.md\n            content: "${loop(engine, 'payload.steps', 'title')}"`;
    const cwd = projectWith(sop(engine, 'go', artifact), [`{ role: planner, action: plan, output: ${STEPS} }`, `{ role: planner, action: plan, reask: ${STEPS} }`]);
    const result = await run(cwd, RUN, {});
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain('planner plan: invalid output, asking again (attempt 1 of 2)');
    const column = engine === 'liquid' ? 59 : 51;
    expect(result.stderr).toContain(
      `plans.sop.yaml:30:${column}: error OUTPUT_INVALID: role planner, action plan: artifact \`plan.md\` cannot be written from the output after 2 attempts: ` +
        'its template reads `payload.steps[].title`, and the item at index 1 of `steps` has no field `title`\n' +
        '  hint: list `title` under `required` in the schema of message type Plan, in its items of `steps` (the model is then asked for it up front), or let the template do without it (an `if` around it)\n',
    );
    expect(lastRun(cwd).events.find((event) => event.type === 'output-invalid')?.errors).toEqual([
      'the item at index 1 of `steps` has no field `title`: the artifact `plan.md` is written from `payload.steps[].title`',
    ]);
    expect(existsSync(path.join(cwd, 'out', 'plan.md'))).toBe(false);
  });

  it('in an artifact, an answer whose every item has the field is written', async () => {
    const artifact = `\n        artifacts:\n          - path: plan.md\n            content: "${loop(engine, 'payload.steps', 'title')}"`;
    const cwd = projectWith(sop(engine, 'go', artifact), [
      `{ role: planner, action: plan, output: ${STEPS} }`,
      '{ role: planner, action: plan, reask: { steps: [{ title: First }, { title: Second }] } }',
    ]);
    const result = await run(cwd, RUN, {});
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'out', 'plan.md'), 'utf8')).toBe('- First\n- Second\n');
  });
});
