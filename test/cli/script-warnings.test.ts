import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir, type CliResult } from './run-cli.js';

/**
 * A `--model script:FILE` whose answers the SOP cannot use (an action it lacks, an output its enum
 * refuses) is warned of by `sop run` (and its `--dry-run`), `sop resume` and `sop eval` as `sop validate` warns of the
 * same script given to a test file: code, place, code frame (text); code and place as fields (--json).
 */
afterAll(removeTempDirs);

const DESK = path.join(repoRoot, 'test', 'fixtures', 'script', 'desk.yaml');

/** `route_ticket` is no action of `triage`; `tech` is not in `Routed`'s `category` enum. */
const MISFIT = `apiVersion: sop-script/v1
answers:
  - role: triage
    action: route_ticket
    output: { category: technical, summary: Login fails }
  - role: triage
    action: route
    output: { category: tech, summary: Login fails }
`;

const ACTION_WARNING = [
  'answers.yaml:4:13: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no action `route_ticket` of role `triage` (it has: `route`)',
  '    3 |   - role: triage',
  '  > 4 |     action: route_ticket',
  '      |             ^',
  '    5 |     output: { category: technical, summary: Login fails }',
].join('\n');

const ENUM_WARNING = [
  'answers.yaml:8:25: warning ANSWER_MISFIT: this output is not a valid Routed: /category: "tech" given; must be one of ["billing","technical","account"]; the run asks again, and the offline model answers that (no `reask` answer is scripted): correct the output, or script a `reask` answer if the re-ask is what this tests',
  '    7 |     action: route',
  '  > 8 |     output: { category: tech, summary: Login fails }',
  '      |                         ^',
].join('\n');

/** The same warnings as `--json` lists them. */
const LISTED = [
  { code: 'ANSWER_MISFIT', file: 'answers.yaml', line: 4, column: 13, message: 'this answer can serve no call: the SOP has no action `route_ticket` of role `triage` (it has: `route`)' },
  {
    code: 'ANSWER_MISFIT',
    file: 'answers.yaml',
    line: 8,
    column: 25,
    message:
      'this output is not a valid Routed: /category: "tech" given; must be one of ["billing","technical","account"]; the run asks again, and the offline model answers that (no `reask` answer is scripted): correct the output, or script a `reask` answer if the re-ask is what this tests',
  },
];

function project(script = MISFIT): string {
  const cwd = tempDir('sop-script-warnings-');
  writeFileSync(path.join(cwd, 'answers.yaml'), script);
  writeFileSync(path.join(cwd, 'cases.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: login, inputs: { idea: "I cannot log in" } }\n');
  writeFileSync(path.join(cwd, 'desk.test.yaml'), `apiVersion: sop-test/v1\nsop: ${DESK}\ncases:\n  - { name: login, inputs: { idea: "I cannot log in" }, script: answers.yaml }\n`);
  return cwd;
}

function rendered(result: CliResult): string {
  expect(result.stderr).not.toMatch(STACK_LINE);
  // The one-line form (`warning: answers.yaml:4:13: ...`) is gone.
  expect(result.stderr).not.toContain('warning: answers.yaml');
  return result.stderr;
}

describe('a script\'s answers the SOP cannot use', () => {
  it('sop validate (the script through a test file) prints the form the other commands print', async () => {
    const cwd = project();
    const validated = await sop(['validate', 'desk.test.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(0);
    expect(validated.stdout).toContain(`${ACTION_WARNING}\n${ENUM_WARNING}`);
    const [file] = envelopeOf<{ files: Array<{ diagnostics: unknown[] }> }>(await sop(['validate', 'desk.test.yaml', '--json'], { cwd })).result?.files ?? [];
    expect(file?.diagnostics).toEqual(LISTED.map((listed) => ({ ...listed, severity: 'warning' })));
  });

  it('sop validate SOP --script FILE checks the script against that SOP as sop run would, in the same form; --json names the SOP', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'desk.yaml'), readFileSync(DESK));
    const validated = await sop(['validate', 'desk.yaml', '--script', 'answers.yaml'], { cwd });
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout).toContain(`desk.yaml: valid\n${ACTION_WARNING}\n${ENUM_WARNING}`);
    expect(validated.stdout).toContain('2 files: 2 valid, 0 invalid, 0 errors, 2 warnings');
    const [, script] = envelopeOf<{ files: Array<{ file: string; kind: string; checkedAgainst?: string; diagnostics: unknown[] }> }>(await sop(['validate', 'desk.yaml', '--script', 'answers.yaml', '--json'], { cwd })).result?.files ?? [];
    expect(script).toMatchObject({ file: 'answers.yaml', kind: 'script', checkedAgainst: 'desk.yaml' });
    expect(script?.diagnostics).toEqual(LISTED.map((listed) => ({ ...listed, severity: 'warning' })));
    // A script that fits says which SOP it fits.
    writeFileSync(path.join(cwd, 'fits.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: triage, action: route, output: { category: technical, summary: Login fails } }\n');
    const fits = await sop(['validate', 'desk.yaml', '--script', 'fits.yaml'], { cwd });
    expect(fits.code, fits.stderr).toBe(0);
    expect(fits.stdout).toContain('fits.yaml: valid (script, its answers checked against desk.yaml)\n');
  });

  it('sop validate on a script alone says its names were not checked and the command that checks them; --script without one SOP is a usage error', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'desk.yaml'), readFileSync(DESK));
    const alone = await sop(['validate', 'answers.yaml'], { cwd });
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('answers.yaml: valid (script; its roles, actions and gates are not checked against an SOP: `sop validate SOP --script answers.yaml`)');
    // Given beside one SOP, the command names that SOP.
    const beside = await sop(['validate', 'desk.yaml', 'answers.yaml'], { cwd });
    expect(beside.stdout).toContain('answers.yaml: valid (script; its roles, actions and gates are not checked against an SOP: `sop validate desk.yaml --script answers.yaml`)');
    const noSop = await sop(['validate', 'cases.yaml', '--script', 'answers.yaml'], { cwd });
    expect(noSop.code).toBe(2);
    expect(noSop.stderr).toContain('error USAGE: --script checks a script against an SOP, and no SOP file was given\n  hint: give the SOP the script is for: sop validate SOP --script answers.yaml');
    expect(noSop.stderr).not.toMatch(STACK_LINE);
    const twoSops = await sop(['validate', 'desk.yaml', DESK, '--script', 'answers.yaml'], { cwd });
    expect(twoSops.code).toBe(2);
    expect(twoSops.stderr).toContain('error USAGE: --script checks a script against one SOP, and 2 were given');
    // An invalid SOP: the script's answers cannot be checked, and it says so (not "valid").
    writeFileSync(path.join(cwd, 'broken.yaml'), readFileSync(DESK, 'utf8').replace('watch: [Ticket]', 'wtch: [Ticket]'));
    const broken = await sop(['validate', 'broken.yaml', '--script', 'answers.yaml'], { cwd });
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain('answers.yaml: error SCHEMA_UNKNOWN_FIELD: its answers cannot be checked: the SOP it is checked against, broken.yaml, does not load (SCHEMA_UNKNOWN_FIELD)');
  });

  it('sop run --model script:FILE warns of them as sop validate does, before the run; --json lists them with their code and place', async () => {
    const cwd = project();
    const result = await sop(['run', DESK, 'I cannot log in', '--model', 'script:answers.yaml', '--workspace', 'ws', '--ci'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const stderr = rendered(result);
    expect(stderr).toContain(`${ACTION_WARNING}\n${ENUM_WARNING}`);
    expect(stderr.indexOf(ENUM_WARNING)).toBeLessThan(stderr.indexOf('[round 1]'));
    const json = envelopeOf(await sop(['run', DESK, 'I cannot log in', '--model', 'script:answers.yaml', '--workspace', 'ws2', '--json'], { cwd }));
    expect(json.ok).toBe(true);
    expect(json.warnings).toEqual(LISTED);
    // A preview of the same run (`sop prompts`) says them the same way.
    const previewed = await sop(['run', DESK, 'I cannot log in', '--model', 'script:answers.yaml', '--dry-run'], { cwd });
    expect(previewed.code, previewed.stderr).toBe(0);
    expect(rendered(previewed)).toContain(`${ACTION_WARNING}\n${ENUM_WARNING}`);
  });

  it('sop resume of a scripted run warns of them again, in the same form', async () => {
    // Routed to the technical agent, whose human gate no answer decides: the run waits (exit 8).
    const cwd = project(`${MISFIT.replace('category: tech,', 'category: technical,')}  - { role: technical, action: answer_technical, output: "Reset your password." }\n`);
    const paused = async (workspace: string): Promise<string> => {
      const result = await sop(['run', DESK, 'I cannot log in', '--model', 'script:answers.yaml', '--workspace', workspace, '--ci', '--json'], { cwd });
      expect(result.code, result.stderr).toBe(8);
      return envelopeOf<{ runId: string }>(result).result?.runId as string;
    };
    const resumed = await sop(['resume', await paused('ws'), '--approve', '--ci'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(rendered(resumed)).toContain(ACTION_WARNING);
    const json = envelopeOf(await sop(['resume', await paused('ws2'), '--approve', '--json'], { cwd }));
    expect(json.ok).toBe(true);
    expect(json.warnings).toContainEqual(LISTED[0]);
  });

  it('sop eval with a script model warns of them as sop validate does, before the first run; --json lists them with their code and place', async () => {
    const cwd = project();
    const result = await sop(['eval', DESK, '--dataset', 'cases.yaml', '--model', 'script:answers.yaml'], { cwd });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const stderr = rendered(result);
    expect(stderr).toContain(`${ACTION_WARNING}\n${ENUM_WARNING}`);
    expect(stderr.indexOf(ENUM_WARNING)).toBeLessThan(stderr.indexOf('[1/1]'));
    const json = envelopeOf(await sop(['eval', DESK, '--dataset', 'cases.yaml', '--model', 'script:answers.yaml', '--json'], { cwd }));
    expect(json.warnings).toEqual(LISTED);
  });
});
