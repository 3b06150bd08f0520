import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * An input's `default` was taken as written, unchecked: `sample_rows: { type: integer, default:
 * three }` or `strictness: { enum: [lenient, strict], default: lax }` validated and ran with a value
 * that `--input` refuses (INPUT_INVALID). Such a default is refused at the default, before any work;
 * a bound's input named with a typo gets did-you-mean, as a template's `inputs.X` does.
 */
const sopWith = (inputs: string, maxRuns = 'max_fixes'): string => `apiVersion: sop/v1
kind: SOP
metadata: { name: pipe, version: 0.1.0, requires: ">=0.2 <1" }
inputs:
  goal: { aliases: [idea] }
${inputs}
messages:
  Goal: {}
  Report: {}
start: [{ type: Goal, content: "{{ inputs.goal }}" }]
stop_when: { type: Report }
roles:
  writer:
    profile: Writer
    watch: [Goal]
    actions:
      - id: write
        max_runs: { input: ${maxRuns} }
        prompt: "Report on {{ message.content }}, {{ inputs.sample_rows }} rows, {{ inputs.strictness }}, {{ inputs.verbose }}, {{ inputs.threshold }}"
        output: { type: Report, format: markdown }
`;

const GOOD = `  sample_rows: { type: integer, default: 3 }
  strictness: { enum: [lenient, strict], default: lenient }
  verbose: { type: boolean, default: false }
  threshold: { type: number, default: 0.5 }
  max_fixes: { type: integer, default: 2 }`;

afterAll(removeTempDirs);

function project(text: string): string {
  const cwd = tempDir('sop-input-defaults-');
  writeFileSync(path.join(cwd, 'sop.yaml'), text);
  return cwd;
}

describe("an input's default", () => {
  it('of a text input may be a number: `year: { default: 2024 }` reads the same in a template', async () => {
    const cwd = project(sopWith(`${GOOD}\n  year: { default: 2024 }`).replace('{{ inputs.threshold }}"', '{{ inputs.threshold }} {{ inputs.year }}"'));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.stdout).toContain('0 errors, 0 warnings');
  });

  it('of its type and in its enum is valid and runs', async () => {
    const cwd = project(sopWith(GOOD));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.stdout).toContain('0 errors, 0 warnings');
    expect(validated.code, validated.stdout).toBe(0);
    const ran = await sop(['run', 'sop.yaml', 'weekly sales'], { cwd });
    expect(ran.code, ran.stderr).toBe(0);
  });

  it('of another type, or outside its enum, is refused at the default with what it takes, by validate and run', async () => {
    const cwd = project(sopWith(GOOD.replace('default: 3', 'default: three').replace('default: lenient', 'default: lax').replace('default: false', 'default: "no"')));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain(
      'sop.yaml:6:42: error SCHEMA_TYPE: the default of input `sample_rows` (integer) is "three", not a whole number\n' +
        '  expected: a whole number, as `--input sample_rows=...` would be parsed\n' +
        "  hint: write it as a whole number (e.g. `default: 3`), or change the input's `type`",
    );
    expect(validated.stdout).toContain(
      'sop.yaml:7:51: error SCHEMA_VIOLATION: the default of input `strictness` is "lax", which its `enum` does not list\n' +
        '  expected: one of: lenient, strict\n' +
        '  hint: use one of the `enum` values, or add this one to `enum`',
    );
    expect(validated.stdout).toContain('sop.yaml:8:38: error SCHEMA_TYPE: the default of input `verbose` (boolean) is "no", not `true` or `false`');
    expect(validated.stdout).toContain('3 errors');
    const ran = await sop(['run', 'sop.yaml', 'weekly sales'], { cwd });
    expect(ran.code).toBe(3);
    expect(ran.stderr).toContain('the default of input `sample_rows`');
    expect(ran.stderr).not.toMatch(STACK_LINE);
  });

  it('a bound naming an input with a typo is told the input meant', async () => {
    const cwd = project(sopWith(GOOD, 'max_fix'));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain('sop.yaml:22:28: error INPUT_UNDECLARED: input `max_fix` is not declared');
    expect(validated.stdout).toContain('  hint: did you mean `max_fixes`?');
  });

  it('a bound written as a word is hinted { input: WORD } only when WORD is an input', async () => {
    const cwd = project(sopWith(GOOD).replace('stop_when:', 'settings: { n_round: twelve }\nstop_when:'));
    const word = await sop(['validate', 'sop.yaml'], { cwd });
    expect(word.code).toBe(3);
    expect(word.stdout).toContain('sop.yaml:15:22: error SCHEMA_TYPE: expected a whole number or `{ input: NAME }` (taken from an input), got a string (`twelve`)');
    // It was `write a mapping: { input: twelve }`, an input the SOP does not have.
    expect(word.stdout).toContain('  hint: write a whole number (e.g. `12`), or `{ input: NAME }` naming an `integer` or `number` input (max_fixes, sample_rows, threshold)');
    writeFileSync(path.join(cwd, 'sop.yaml'), sopWith(GOOD).replace('stop_when:', 'settings: { n_round: max_fixes }\nstop_when:'));
    const input = await sop(['validate', 'sop.yaml'], { cwd });
    expect(input.code).toBe(3);
    expect(input.stdout).toContain('  hint: write a mapping: { input: max_fixes }');
  });
});
