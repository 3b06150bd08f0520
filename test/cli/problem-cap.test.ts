import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/** A folder with the eval fixture's one-role SOP (`answer.yaml`). */
function project(): string {
  const cwd = tempDir('sop-problem-cap-');
  copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml'), path.join(cwd, 'answer.yaml'));
  return cwd;
}

const lines = (text: string): number => text.split('\n').length;

/** Every problem printed flooded the screen: 100,000 bad dataset lines printed 300,000 lines. */
describe('a long list of problems prints the first 20 and counts the rest', () => {
  it('sop eval: a dataset with 1,000 bad lines (3,000 problems), exit 2 as before', { timeout: 60_000 }, async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'cases.jsonl'), '{"inputs": 5, "bogus": 1}\n'.repeat(1000));
    const result = await sop(['eval', 'answer.yaml', '--dataset', 'cases.jsonl'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cases\.jsonl:1:1: error SCHEMA_MISSING_FIELD: missing required field `name`$/m);
    expect(result.stderr).toContain('... and 2,980 more problems not shown: fix these first, or add --json to list every one');
    expect(lines(result.stderr)).toBeLessThan(200);
    // --json still lists every one.
    const json = await sop(['eval', 'answer.yaml', '--dataset', 'cases.jsonl', '--json'], { cwd });
    expect((JSON.parse(json.stdout) as { error: { diagnostics: unknown[] } }).error.diagnostics).toHaveLength(3000);
  });

  it('sop validate and sop test: an SOP and a test file with 100 unknown fields', { timeout: 60_000 }, async () => {
    const cwd = project();
    const fields = Array.from({ length: 100 }, (_, index) => `x${index}: 1\n`).join('');
    writeFileSync(path.join(cwd, 'many.yaml'), `${readFileSync(path.join(cwd, 'answer.yaml'), 'utf8')}${fields}`);
    const validated = await sop(['validate', 'many.yaml'], { cwd });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain('many.yaml:22:1: error SCHEMA_UNKNOWN_FIELD: unknown field `x0`');
    expect(validated.stdout).not.toContain('unknown field `x20`');
    expect(validated.stdout).toMatch(/^\.\.\. and 80 more problems not shown: fix these first, or add --json to list every one\n1 file: 0 valid, 1 invalid, 100 errors, 0 warnings\n$/m);
    writeFileSync(path.join(cwd, 'answer.test.yaml'), `apiVersion: sop-test/v1\nsop: answer.yaml\n${fields}`);
    const tested = await sop(['test', 'answer.test.yaml'], { cwd });
    expect(tested.code).toBe(2);
    expect(tested.stderr).toContain('... and 81 more problems not shown');
    expect(lines(tested.stderr)).toBeLessThan(200);
  });

  it('sop validate: a count of a thousand or more has separators, in the summary line as in the count of the rest', { timeout: 60_000 }, async () => {
    const cwd = project();
    const fields = Array.from({ length: 1200 }, (_, index) => `x${index}: 1\n`).join('');
    writeFileSync(path.join(cwd, 'many.yaml'), `${readFileSync(path.join(cwd, 'answer.yaml'), 'utf8')}${fields}`);
    const validated = await sop(['validate', 'many.yaml'], { cwd });
    expect(validated.code).toBe(3);
    // The summary said `1200 errors` under `... and 1,180 more problems`.
    expect(validated.stdout).toMatch(/^\.\.\. and 1,180 more problems not shown: fix these first, or add --json to list every one\n1 file: 0 valid, 1 invalid, 1,200 errors, 0 warnings\n$/m);
  });

  it('GitHub annotations are capped too: sop validate --format github and a refused sop run under GitHub Actions', { timeout: 60_000 }, async () => {
    const cwd = project();
    const fields = Array.from({ length: 100 }, (_, index) => `x${index}: 1\n`).join('');
    writeFileSync(path.join(cwd, 'many.yaml'), `${readFileSync(path.join(cwd, 'answer.yaml'), 'utf8')}${fields}`);
    const validated = await sop(['validate', 'many.yaml', '--format', 'github'], { cwd });
    expect(validated.code).toBe(3);
    expect(validated.stdout.match(/^::error /gm)).toHaveLength(20);
    expect(validated.stdout).not.toContain('unknown field `x20`');
    expect(validated.stderr).toContain('many.yaml: ... and 80 more problems not shown: fix these first, or add --json to list every one');
    const ran = await sop(['run', 'many.yaml', 'a question'], { cwd, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(cwd, 'summary.md') } });
    expect(ran.code).toBe(3);
    expect((ran.stdout + ran.stderr).match(/^::error /gm)).toHaveLength(20);
  });

  it('sop lock --check: 25 drifted files print 20 problems, 20 annotations, the rest counted and the hint kept', { timeout: 60_000 }, async () => {
    const cwd = project();
    // 25 partials the answer's prompt includes: the lock pins each, so changing all of them drifts 25 files (26 problems with the summary).
    const includes = Array.from({ length: 25 }, (_, index) => `{% render 'p${index}' %}`).join(' ');
    const text = readFileSync(path.join(cwd, 'answer.yaml'), 'utf8');
    writeFileSync(path.join(cwd, 'answer.yaml'), text.replace('prompt: "Answer the question: {{ message.content }}"', `prompt: "Answer the question: {{ message.content }} ${includes}"`));
    for (let index = 0; index < 25; index++) writeFileSync(path.join(cwd, `p${index}.liquid`), `part ${index}\n`);
    expect((await sop(['lock', 'answer.yaml'], { cwd })).code).toBe(0);
    for (let index = 0; index < 25; index++) writeFileSync(path.join(cwd, `p${index}.liquid`), `changed ${index}\n`);
    const result = await sop(['lock', 'answer.yaml', '--check'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    expect(result.code, result.stderr).toBe(12);
    expect(result.stderr.match(/^::error /gm)).toHaveLength(20);
    expect(result.stderr.match(/^\S+: error LOCK_DRIFT: /gm)).toHaveLength(20);
    expect(result.stderr).toContain('... and 6 more problems not shown: fix these first, or add --json to list every one');
    // The hint (on the last problem printed) is printed once and annotated once.
    expect(result.stderr.match(/^ {2}hint: if the change is intended, run `sop lock answer\.yaml` and commit sop\.lock/gm)).toHaveLength(1);
    expect(result.stderr.match(/%0Ahint: if the change is intended/g)).toHaveLength(1);
    const json = await sop(['lock', 'answer.yaml', '--check', '--json'], { cwd });
    expect((JSON.parse(json.stdout) as { error: { diagnostics: unknown[] } }).error.diagnostics).toHaveLength(26);
  });

  it('sop run: an SOP with 30 warnings prints 20 and counts the rest, then runs (exit 0)', { timeout: 60_000 }, async () => {
    const cwd = project();
    const artifacts = Array.from({ length: 30 }, (_, index) => `          - path: a${index}.md\n            content: "{% if x %}${index}{% endif %}{{ output }}"\n`).join('');
    const text = readFileSync(path.join(cwd, 'answer.yaml'), 'utf8').replace('        artifacts:\n', `        artifacts:\n${artifacts}`).replace('stop_when:', 'settings: { templates: handlebars }\nstop_when:');
    writeFileSync(path.join(cwd, 'warned.yaml'), text);
    const result = await sop(['run', 'warned.yaml', 'a question'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/warning TEMPLATE_LIQUID_IN_HANDLEBARS/g)).toHaveLength(20);
    expect(result.stderr).toContain('... and 10 more warnings not shown: fix these first, or add --json to list every one');
  });
});
