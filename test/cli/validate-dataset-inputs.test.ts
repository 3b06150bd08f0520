import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop validate SOP DATASET` checks each case's inputs against the SOP (the real CLI): a missing
 * required input, a name the SOP does not declare, a value of the wrong type were let through and
 * refused only when `sop eval` ran the case. `sop eval` still fails such a case, in the same words.
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
// The fixture's one input is read from `inputs.idea`; this SOP declares it and a typed one, and a secret.
const TYPED_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: typed, version: 1.0.0, requires: ">=0.2 <1" }
inputs:
  idea: { type: string, required: true }
  count: { type: integer, default: 1 }
  api_token: { type: integer, default: 0 }
messages:
  Question: {}
  Answer: {}
start:
  - type: Question
    content: "{{ inputs.idea }} x{{ inputs.count }}"
roles:
  answerer:
    profile: Answerer
    watch: [Question]
    actions:
      - id: answer
        prompt: "Answer: {{ message.content }}"
        output: { type: Answer, format: text }
stop_when: { type: Answer }
`;
const SECRET = 'sk-live-abcdef0123456789';
const DATASET = `apiVersion: sop-eval/v1
cases:
  - name: fine
    inputs: { idea: tides }
  - name: no idea
    inputs: { count: 2 }
  - name: typo
    inputs: { idea: x, cuont: 2 }
  - name: not a number
    inputs: { idea: x, count: many, api_token: ${SECRET} }
  - name: later
    skip: not written yet
    inputs: { nope: 1 }
`;

describe('sop validate SOP DATASET: the cases\' inputs against the SOP', () => {
  it('reports each mistake at its field, with what was expected and the fix (exit 2, DATASET_INVALID, as `sop eval` refuses a dataset); sop eval fails those cases in the same words', async () => {
    const dir = tempDir('sop-validate-dataset-');
    writeFileSync(path.join(dir, 'sop.yaml'), TYPED_SOP);
    writeFileSync(path.join(dir, 'cases.yaml'), DATASET);
    const result = await sop(['validate', 'sop.yaml', 'cases.yaml'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(2);
    expect(output).not.toMatch(STACK_LINE);
    expect(output).not.toContain(SECRET);
    const expected = [
      ['cases.yaml:5:5: error SCHEMA_MISSING_FIELD: case "no idea" does not give the required input `idea` (string)', 'expected: `idea: a string`', 'hint: add `inputs.idea` to the case, or `defaults.inputs.idea` to the dataset for every case'],
      ['cases.yaml:8:24: error SCHEMA_UNKNOWN_FIELD: the SOP has no input `cuont`', 'expected: an input the SOP declares: api_token, count, idea', 'hint: did you mean `count`?'],
      ['cases.yaml:10:31: error SCHEMA_TYPE: input "count" must be an integer, got "many"', 'expected: an integer', "hint: write a value the SOP's `inputs` declare for it"],
      ['cases.yaml:10:48: error SCHEMA_TYPE: input "api_token" must be an integer (the value given is not shown: it is a secret)', 'expected: an integer'],
    ];
    for (const [first, ...rest] of expected) expect(result.stdout).toContain([first, ...rest.map((line) => `  ${line}`)].join('\n'));
    // The skipped case does not run: its input is not checked.
    expect(result.stdout).not.toContain('nope');
    expect(result.stdout).toMatch(/^2 files: 1 valid, 1 invalid, 4 errors, 0 warnings$/m);

    const evaluated = await sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--quiet'], { cwd: dir });
    expect(evaluated.code, evaluated.stdout + evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toContain('  cases.yaml:8:24: inputs: SCHEMA_UNKNOWN_FIELD: the SOP has no input `cuont`: did you mean `count`? (the run was refused before it started)\n');
    expect(evaluated.stdout).toContain('  cases.yaml:10:31: inputs: SCHEMA_TYPE: input "count" must be an integer, got "many": write a value the SOP\'s `inputs` declare for it (the run was refused before it started)\n');
    expect(evaluated.stdout + evaluated.stderr).not.toContain(SECRET);
  });

  it('a dataset given alone is valid as a file and its line names the command that checks its inputs', async () => {
    const dir = tempDir('sop-validate-dataset-');
    writeFileSync(path.join(dir, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idae: spring } }\n');
    const alone = await sop(['validate', 'cases.yaml'], { cwd: dir });
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('cases.yaml: valid (eval dataset; its inputs are not checked against an SOP: `sop validate SOP cases.yaml`)');
    const checked = await sop(['validate', SOP, 'cases.yaml', '--json'], { cwd: dir });
    expect(checked.code).toBe(2);
    const envelope = JSON.parse(checked.stdout) as { error: { code: string }; result: { files: Array<{ kind: string; checkedAgainst?: string; diagnostics: Array<{ code: string; line: number; column: number; hint: string }> }> } };
    expect(envelope.error.code).toBe('DATASET_INVALID');
    expect(envelope.result.files[1]).toMatchObject({ kind: 'dataset', checkedAgainst: SOP, diagnostics: [{ code: 'SCHEMA_UNKNOWN_FIELD', line: 3, column: 30, hint: 'did you mean `idea`?' }] });
  });

  it('a JSONL or CSV dataset (no apiVersion: known by its extension) is checked as a dataset, not read as an SOP', async () => {
    const dir = tempDir('sop-validate-dataset-');
    writeFileSync(path.join(dir, 'sop.yaml'), TYPED_SOP);
    writeFileSync(path.join(dir, 'cases.jsonl'), '{"name":"fine","inputs":{"idea":"x"}}\n{"name":"typo","inputs":{"idea":"x","cuont":2}}\n');
    writeFileSync(path.join(dir, 'cases.csv'), 'name,idea,count\nfine,x,1\nnot a number,x,many\n');
    const jsonl = await sop(['validate', 'sop.yaml', 'cases.jsonl'], { cwd: dir });
    expect(jsonl.code, jsonl.stdout + jsonl.stderr).toBe(2);
    expect(jsonl.stdout).toContain('cases.jsonl:2:37: error SCHEMA_UNKNOWN_FIELD: the SOP has no input `cuont`\n  expected: an input the SOP declares: api_token, count, idea\n  hint: did you mean `count`?');
    expect(jsonl.stdout).not.toContain('YAML');
    const csv = await sop(['validate', 'sop.yaml', 'cases.csv'], { cwd: dir });
    expect(csv.code, csv.stdout + csv.stderr).toBe(2);
    expect(csv.stdout).toContain('cases.csv:3:16: error SCHEMA_TYPE: input "count" must be an integer, got "many"');
    expect(csv.stdout).not.toContain('YAML_NOT_MAPPING');
    // A required input a CSV leaves out may come from `sop eval --defaults FILE`: not held against it.
    writeFileSync(path.join(dir, 'no-idea.csv'), 'name,count\nfrom defaults,1\n');
    const partial = await sop(['validate', 'sop.yaml', 'no-idea.csv'], { cwd: dir });
    expect(partial.code, partial.stdout + partial.stderr).toBe(0);
    const alone = await sop(['validate', 'cases.csv'], { cwd: dir });
    expect(alone.code, alone.stdout + alone.stderr).toBe(0);
    expect(alone.stdout).toContain('cases.csv: valid (eval dataset; its inputs are not checked against an SOP: `sop validate SOP cases.csv`)');
  });

  it('a value outside an input\'s `enum` is told the value meant, as `sop run`\'s hint names it (not for a secret): sop validate, sop eval and sop test', async () => {
    const dir = tempDir('sop-validate-dataset-');
    const enumSop = TYPED_SOP.replace('  count: { type: integer, default: 1 }\n  api_token: { type: integer, default: 0 }\n', '  audience: { type: string, enum: [engineers, managers], default: engineers }\n  api_token: { type: string, enum: [alpha-key, beta-key], default: alpha-key }\n').replace(' x{{ inputs.count }}', '');
    writeFileSync(path.join(dir, 'sop.yaml'), enumSop);
    writeFileSync(path.join(dir, 'cases.csv'), 'name,idea,audience,api_token\ncapital,x,Engineers,alpha-key\nsecret,x,engineers,Alpha-key\n');
    const validated = await sop(['validate', 'sop.yaml', 'cases.csv'], { cwd: dir });
    expect(validated.code, validated.stdout + validated.stderr).toBe(2);
    expect(validated.stdout).toContain('cases.csv:2:11: error SCHEMA_ENUM: input "audience" must be one of "engineers", "managers", got "Engineers"\n  expected: one of "engineers", "managers"\n  hint: did you mean "engineers"?\n');
    // The secret's nearest value would say something of the value given: the general hint.
    expect(validated.stdout).toMatch(/cases\.csv:3:20: error SCHEMA_ENUM: input "api_token" must be one of "alpha-key", "beta-key" \(the value given is not shown: it is a secret\)\n {2}expected: one of "alpha-key", "beta-key"\n {2}hint: write a value the SOP's `inputs` declare for it\n/);
    const evaluated = await sop(['eval', 'sop.yaml', '--dataset', 'cases.csv', '--quiet'], { cwd: dir });
    expect(evaluated.stdout).toContain('  cases.csv:2:11: inputs: SCHEMA_ENUM: input "audience" must be one of "engineers", "managers", got "Engineers": did you mean "engineers"? (the run was refused before it started)\n');
    writeFileSync(path.join(dir, 'sop.test.yaml'), 'apiVersion: sop-test/v1\ncases:\n  - name: capital\n    inputs: { idea: x, audience: Managers }\n    expect: { status: completed }\n');
    const tested = await sop(['test', 'sop.yaml'], { cwd: dir });
    expect(tested.code, tested.stdout + tested.stderr).toBe(2);
    expect(tested.stdout + tested.stderr).toContain('sop.test.yaml:4:34: error INPUT_INVALID: input "audience" must be one of "engineers", "managers", got "Managers"\n  expected: one of "engineers", "managers"\n  hint: did you mean "managers"?\n');
  });
});
