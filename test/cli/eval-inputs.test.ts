import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop eval` given what a new user gives it by mistake (the real CLI, offline model): each is
 * refused or reported with a clear, located message and the documented exit code.
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');

function withDataset(name: string, text: string): string {
  const dir = tempDir('sop-eval-inputs-');
  writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('sop eval of wrong inputs', () => {
  it.each([
    ['cases.jsonl', '\n'],
    ['cases.csv', 'name,idea\n'],
    ['cases.yaml', 'apiVersion: sop-eval/v1\ncases: []\n'],
  ])('a dataset without cases (%s) is refused (exit 2), not an eval of nothing that passes any --threshold', async (name, text) => {
    const dir = withDataset(name, text);
    const result = await sop(['eval', SOP, '--dataset', name, '--threshold', '0.9'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(`${name}:1:1: error SCHEMA_VIOLATION: the dataset has no cases`);
    expect(envelopeOf(await sop(['eval', SOP, '--dataset', name, '--json'], { cwd: dir }))).toMatchObject({ ok: false, exitCode: 2, error: { code: 'DATASET_INVALID' } });
  });

  it.each([
    ['name,idea,expected.status\nfirst,spring,completed\n', 'cases.csv:1:11', 'column expected.status', 'hint: did you mean `expect.status`?'],
    ['name,Idea\nfirst,spring\n', 'cases.csv:1:6', 'column Idea', 'hint: did you mean `idea`?'],
    ['name;idea\nfirst;spring\n', 'cases.csv:1:1', 'column name;idea', 'hint: the header is split by `;`'],
  ])('a CSV column no input can be named (%j) is a dataset error at its header cell (exit 2), not a refused run per row and exit 0', async (text, place, column, hint) => {
    const dir = withDataset('cases.csv', text);
    const result = await sop(['eval', SOP, '--dataset', 'cases.csv'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(`${place}: error SCHEMA_VIOLATION: ${column} is no input name, nor \`name\`, \`judge\` or \`expect.FIELD\``);
    expect(result.stderr).toContain(hint);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(dir, '.sop', 'runs'))).toBe(false);
    expect(envelopeOf(await sop(['eval', SOP, '--dataset', 'cases.csv', '--json'], { cwd: dir }))).toMatchObject({ ok: false, exitCode: 2, error: { code: 'DATASET_INVALID' } });
  });

  it('a CSV column that is not an input of the SOP is one error at its header cell (exit 2, before any run), with the inputs and the nearest; sop validate says it once too', async () => {
    const dir = withDataset('cases.csv', 'name,idae\nfirst,spring\nsecond,summer\nthird,autumn\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.csv'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    const error = 'cases.csv:1:6: error SCHEMA_UNKNOWN_FIELD: column idae: the SOP has no input `idae`\n  expected: an input the SOP declares: idea (or `name`, `judge`, `expect.FIELD`)\n  hint: did you mean `idea`?';
    expect(result.stderr).toContain(error);
    expect(result.stderr.match(/SCHEMA_UNKNOWN_FIELD/g)).toHaveLength(1);
    expect(result.stderr).not.toContain('--input');
    expect(existsSync(path.join(dir, '.sop', 'runs'))).toBe(false);
    expect(envelopeOf(await sop(['eval', SOP, '--dataset', 'cases.csv', '--json'], { cwd: dir }))).toMatchObject({
      ok: false, exitCode: 2,
      error: { code: 'DATASET_INVALID', file: 'cases.csv', line: 1, column: 6, diagnostics: [{ code: 'SCHEMA_UNKNOWN_FIELD', line: 1, column: 6, hint: 'did you mean `idea`?' }] },
    });
    const validated = await sop(['validate', SOP, 'cases.csv'], { cwd: dir });
    expect(validated.code, validated.stdout + validated.stderr).toBe(2);
    expect(validated.stdout).toContain(error);
    expect(validated.stdout.match(/SCHEMA_UNKNOWN_FIELD/g)).toHaveLength(1);
  });

  it('an input name the SOP lacks written once for every case (`defaults.inputs`) is one error there (exit 2, before any run); one a case writes itself fails that case', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ndefaults:\n  inputs: { idae: spring }\ncases:\n  - name: first\n  - name: second\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('cases.yaml:3:13: error SCHEMA_UNKNOWN_FIELD: the SOP has no input `idae`\n  expected: an input the SOP declares: idea\n  hint: did you mean `idea`?');
    expect(result.stderr.match(/SCHEMA_UNKNOWN_FIELD/g)).toHaveLength(1);
    expect(existsSync(path.join(dir, '.sop', 'runs'))).toBe(false);
    writeFileSync(path.join(dir, 'own.yaml'), 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n  - { name: second, inputs: { idae: summer } }\n');
    const own = await sop(['eval', SOP, '--dataset', 'own.yaml', '--quiet'], { cwd: dir });
    expect(own.code, own.stdout + own.stderr).toBe(0);
    expect(own.stdout).toContain('  own.yaml:4:31: inputs: SCHEMA_UNKNOWN_FIELD: the SOP has no input `idae`: did you mean `idea`? (the run was refused before it started)\n');
  });

  it.each([
    // The case has no `inputs` at all, and the defaults have fields: located at the case, not at the defaults.
    ['cases.yaml', 'apiVersion: sop-eval/v1\ndefaults:\n  expect: { status: completed }\ncases:\n  - { name: first, inputs: { idea: spring } }\n  - name: second\n    expect: { status: completed }\n',
      'cases.yaml:6:5: inputs: SCHEMA_MISSING_FIELD: case "second" does not give the required input `idea` (string): add `inputs.idea` to the case, or `defaults.inputs.idea` to the dataset for every case'],
    ['cases.jsonl', '{"name": "first", "inputs": {"idea": "spring"}}\n{"name": "second"}\n',
      'cases.jsonl:2:1: inputs: SCHEMA_MISSING_FIELD: case "second" does not give the required input `idea` (string): add "idea" to the case\'s "inputs" ({"inputs": {"idea": ...}}), or `defaults.inputs.idea` to a --defaults file for every case'],
    ['cases.csv', 'name,idea\nfirst,spring\nsecond,\n',
      'cases.csv:3:1: inputs: SCHEMA_MISSING_FIELD: case "second" does not give the required input `idea` (string): fill its cell in this row (column `idea`; add it to the header if missing), or give `defaults.inputs.idea` in a --defaults file for every case'],
  ])('a case (%s) without a required input fails at the case, naming it and the input, with the fix in the dataset\'s words (it spoke of `sop run FILE "the idea"`)', async (name, text, line) => {
    const dir = withDataset(name, text);
    const result = await sop(['eval', SOP, '--dataset', name, '--quiet'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`second on offline (run not started, no status):\n  ${line} (the run was refused before it started)\n`);
    expect(result.stdout).not.toContain('sop run');
    expect(result.stdout).toMatch(/^first +pass$/m);
  });

  it('warns, located, about a script answer that can serve no call (a role name typo), as sop run does', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: answerr, action: answer, output: "42" }\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--model', 'script:answers.yaml'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    // At the misspelt role (`  - { role: ` is 12 characters), not at the answer's `- `.
    expect(result.stderr).toContain('answers.yaml:3:13: warning ANSWER_MISFIT: this answer can serve no call: the SOP has no role `answerr` (did you mean `answerer`?)');
    expect(envelopeOf<any>(await sop(['eval', SOP, '--dataset', 'cases.yaml', '--model', 'script:answers.yaml', '--json'], { cwd: dir })).warnings).toEqual([
      { code: 'ANSWER_MISFIT', file: 'answers.yaml', line: 3, column: 13, message: 'this answer can serve no call: the SOP has no role `answerr` (did you mean `answerer`?)' },
    ]);
  });

  it('--resume refuses an SOP changed since the eval started (exit 2), as sop resume does, instead of mixing two SOPs in one eval', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    const sopFile = path.join(dir, 'answer.yaml');
    writeFileSync(sopFile, readFileSync(SOP, 'utf8'));
    const first = envelopeOf<any>(await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--json'], { cwd: dir }));
    expect(first.ok).toBe(true);
    writeFileSync(sopFile, readFileSync(SOP, 'utf8').replace('Answer the question', 'Answer briefly the question'));
    const resumed = await sop(['eval', '--resume', first.result.evalId], { cwd: dir });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(2);
    expect(resumed.stderr).toContain(`error RESUME_SOP_CHANGED: ${sopFile} changed since eval ${first.result.evalId} started`);
  });

  it('--resume of an eval that finished refuses its dataset, or the --defaults file, changed since (exit 2), naming both (was: the dataset alone, also when only the defaults changed)', async () => {
    const dir = withDataset('cases.jsonl', '{"name": "first", "inputs": {"idea": "spring"}}\n');
    writeFileSync(path.join(dir, 'defaults.yaml'), 'apiVersion: sop-eval/v1\ndefaults:\n  expect: { status: completed }\n');
    const start = async (): Promise<string> => {
      const first = envelopeOf<any>(await sop(['eval', 'answer.yaml', '--dataset', 'cases.jsonl', '--defaults', 'defaults.yaml', '--json'], { cwd: dir }));
      expect(first.ok, JSON.stringify(first)).toBe(true);
      return first.result.evalId;
    };
    writeFileSync(path.join(dir, 'answer.yaml'), readFileSync(SOP, 'utf8'));
    const finished = await start();
    writeFileSync(path.join(dir, 'cases.jsonl'), '{"name": "first", "inputs": {"idea": "autumn"}}\n');
    const datasetChanged = await sop(['eval', '--resume', finished], { cwd: dir });
    expect(datasetChanged.code, datasetChanged.stdout + datasetChanged.stderr).toBe(2);
    // One sha256 covers both files: the message cannot tell which changed, so it names both (it named the dataset alone),
    // relative to the current folder as the eval that started named them.
    const either = 'dataset cases.jsonl or its --defaults file defaults.yaml';
    expect(datasetChanged.stderr).toContain(`error RUN_NOT_RESUMABLE: ${either} changed since eval ${finished} started`);
    expect(datasetChanged.stderr).toContain('hint: restore it as it was to continue this eval, or start a new eval with the change');
    expect(datasetChanged.stderr).not.toMatch(STACK_LINE);

    writeFileSync(path.join(dir, 'cases.jsonl'), '{"name": "first", "inputs": {"idea": "spring"}}\n');
    const again = await start();
    writeFileSync(path.join(dir, 'defaults.yaml'), 'apiVersion: sop-eval/v1\ndefaults:\n  expect: { status: failed }\n');
    const defaultsChanged = await sop(['eval', '--resume', again], { cwd: dir });
    expect(defaultsChanged.code, defaultsChanged.stdout + defaultsChanged.stderr).toBe(2);
    expect(defaultsChanged.stderr).toContain(`error RUN_NOT_RESUMABLE: ${either} changed since eval ${again} started`);
  });

  it('--resume refuses a prompt file the SOP references, or the script of its model, changed since the eval started (was: only the SOP file was compared)', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    writeFileSync(path.join(dir, 'answer.yaml'), readFileSync(SOP, 'utf8').replace(/prompt: .*/, 'prompt: { file: ask.liquid }'));
    writeFileSync(path.join(dir, 'ask.liquid'), 'Answer the question: {{ message.content }}');
    writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: answerer, action: answer, output: "42" }\n');
    const start = async (): Promise<string> => {
      const first = envelopeOf<any>(await sop(['eval', 'answer.yaml', '--dataset', 'cases.yaml', '--model', 'script:answers.yaml', '--json'], { cwd: dir }));
      expect(first.ok, JSON.stringify(first)).toBe(true);
      return first.result.evalId;
    };
    const prompted = await start();
    writeFileSync(path.join(dir, 'ask.liquid'), 'Answer briefly: {{ message.content }}');
    const promptChanged = await sop(['eval', '--resume', prompted], { cwd: dir });
    expect(promptChanged.code, promptChanged.stdout + promptChanged.stderr).toBe(2);
    expect(promptChanged.stderr).toContain(`error RESUME_SOP_CHANGED: ${path.join(dir, 'ask.liquid')} changed since eval ${prompted} started (sha256 `);

    const scripted = await start();
    writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: answerer, action: answer, output: "43" }\n');
    const scriptChanged = await sop(['eval', '--resume', scripted], { cwd: dir });
    expect(scriptChanged.code, scriptChanged.stdout + scriptChanged.stderr).toBe(2);
    expect(scriptChanged.stderr).toContain(`error RESUME_SOP_CHANGED: script answers.yaml changed since eval ${scripted} started (sha256 `);
  });

  it('a model with no judged run (every case skipped) shows no pass rate rather than 0 %', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ncases:\n  - { name: later, skip: not yet }\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--quiet'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^offline +0\/0 +- +- +\$0\.0000 /m);
    expect(result.stdout).not.toContain('0.0 %');
  });

  it('warns, located, about checks naming what the SOP does not have (they would hold, or fail, whatever the run did), once with their cases', async () => {
    const dir = withDataset(
      'cases.yaml',
      'apiVersion: sop-eval/v1\ndefaults:\n  expect: { not_ran: [{ role: answerr }] }\ncases:\n  - { name: first, inputs: { idea: spring } }\n  - { name: second, inputs: { idea: autumn }, judge: [{ rubric: clear, of: Answr }] }\n',
    );
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    // Told before the first run, not after the money is spent.
    expect(result.stderr.indexOf('warning: ')).toBeLessThan(result.stderr.indexOf('[1/2]'));
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    // At the field that names it (line:column), in the defaults when the case took it from there.
    expect(warnings).toEqual([
      'warning: cases.yaml:3:31: expect.not_ran[0] can match nothing: the SOP has no role `answerr` (did you mean `answerer`?) (cases: first, second)',
      'warning: cases.yaml:6:76: judge[0] can judge nothing: the SOP has no message type `Answr` (did you mean `Answer`?) (case: second)',
    ]);
    // --json: the same places, as fields.
    const json = envelopeOf<any>(await sop(['eval', SOP, '--dataset', 'cases.yaml', '--json'], { cwd: dir }));
    expect(json.warnings.map((warning: any) => [warning.file, warning.line, warning.column])).toEqual([
      ['cases.yaml', 3, 31],
      ['cases.yaml', 6, 76],
    ]);
  });

  it.each([
    ['cases.jsonl', '{"name": "first", "inputs": {"idea": "x"}}\n{"name": "second", "inputs": {"idea": "y"}, "expect": {"messages": [{"type": "Answr"}]}}\n', 'cases.jsonl:2:78: expect.messages[0]'],
    ['cases.csv', 'name,idea,expect.messages\nfirst,x,\nsecond,y,"[{type: Answr}]"\n', 'cases.csv:3:10: expect.messages[0]'],
  ])('%s: the warning gives the line and column of the offending field (of its cell in a CSV)', async (name, text, place) => {
    const dir = withDataset(name, text);
    const result = await sop(['eval', SOP, '--dataset', name], { cwd: dir });
    expect(result.stderr.split('\n').filter((line) => line.startsWith('warning: '))).toEqual([
      `warning: ${place} can match nothing: the SOP has no message type \`Answr\` (did you mean \`Answer\`?) (case: second)`,
    ]);
  });

  it('a CSV with an unclosed quote is refused at the line and column where the quoted cell opens, not at the end of the file', async () => {
    const dir = withDataset('cases.csv', 'name,idea\nfirst,spring\nsecond,"unclosed\nthird,autumn\nfourth,winter\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.csv'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^cases\.csv:3:8: error SCHEMA_VIOLATION: not valid CSV: a quoted cell is never closed \(its opening quote is here\)\n  hint: close the quote/);
    expect(result.stderr).toContain('  > 3 | second,"unclosed\n');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a CSV whose header repeats a column is refused (exit 2), not read keeping one of the two cells', async () => {
    const dir = withDataset('cases.csv', 'name,idea,idea\nfirst,spring,autumn\n');
    const result = await sop(['eval', SOP, '--dataset', 'cases.csv'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    // At the repeated column's second cell: `name,idea,` is 10 characters.
    expect(result.stderr).toContain('cases.csv:1:11: error SCHEMA_VIOLATION: column idea appears 2 times in the header row');
  });

  it('--resume of an eval whose eval.json lacks fields is refused, naming them, instead of an internal error', async () => {
    const dir = tempDir('sop-eval-inputs-');
    mkdirSync(path.join(dir, '.sop', 'evals', 'cut-short'), { recursive: true });
    writeFileSync(path.join(dir, '.sop', 'evals', 'cut-short', 'eval.json'), '{"schemaVersion": 1, "models": "offline"}');
    const result = await sop(['eval', '--resume', 'cut-short'], { cwd: dir });
    expect(result.stderr).not.toContain('internal error');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('eval.json is not an eval record: it lacks evalId, sop, dataset, datasetSha256, runsDir, models, repeat');
  });

  it('a model whose provider has no API key fails before the first run with PROVIDER_AUTH (exit 10), as sop run does, instead of an eval of failed runs that exits 0', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    const noKey = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, HOME: dir, XDG_CONFIG_HOME: dir };
    const result = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--model', 'offline', '--model', 'openai:gpt-4o-mini'], { cwd: dir, env: noKey });
    expect(result.code, result.stdout + result.stderr).toBe(10);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error PROVIDER_AUTH: no API key for openai https://api.openai.com/v1\n  hint: set OPENAI_API_KEY (or providers.openai.api_key)');
    // Refused before the eval began: no run, no record.
    expect(result.stderr).not.toContain('[1/');
    expect(existsSync(path.join(dir, '.sop'))).toBe(false);
    // A judge model without a key is refused too, before the runs it would judge.
    const judged = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\njudge_model: openai:gpt-4o-mini\ncases:\n  - { name: first, inputs: { idea: spring }, judge: [{ rubric: clear, of: Answer }] }\n');
    const judgeResult = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--json'], { cwd: judged, env: noKey });
    expect(envelopeOf(judgeResult)).toMatchObject({ ok: false, exitCode: 10, error: { code: 'PROVIDER_AUTH' } });
  });

  it('--event-prompts: each run\'s journal shows what each role was asked (off by default)', async () => {
    const dir = withDataset('cases.yaml', 'apiVersion: sop-eval/v1\ncases:\n  - { name: first, inputs: { idea: spring } }\n');
    const prompts = (): string[] => {
      const runsDir = path.join(dir, '.sop', 'runs');
      return readdirSync(runsDir).flatMap((runId) =>
        readFileSync(path.join(runsDir, runId, 'journal.jsonl'), 'utf8')
          .split('\n')
          .filter((line) => line.includes('"llm-call-start"'))
          .flatMap((line) => ((JSON.parse(line) as { messages?: Array<{ content: string }> }).messages ?? []).map((message) => message.content)),
      );
    };
    const plain = await sop(['eval', SOP, '--dataset', 'cases.yaml'], { cwd: dir });
    expect(plain.code, plain.stderr).toBe(0);
    expect(prompts()).toEqual([]);
    const shown = await sop(['eval', SOP, '--dataset', 'cases.yaml', '--event-prompts'], { cwd: dir });
    expect(shown.code, shown.stderr).toBe(0);
    expect(prompts().some((content) => content.includes('spring'))).toBe(true);
  });
});
