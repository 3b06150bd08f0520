import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from './run-cli.js';

/**
 * Scripting `sop eval`'s judge (`role: eval, action: judge, gate: <of>`): the worked example of
 * docs/eval.md ("Scripting the judge"), whose files are test/fixtures/eval-judge-script/, is run as
 * written there, so the documentation cannot drift from what `sop eval` does.
 */
afterAll(removeTempDirs);

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'eval-judge-script');
const FILES = ['sop.yaml', 'cases.yaml', 'answers.yaml'] as const;

function doc(name: string): string {
  return readFileSync(path.join(repoRoot, 'docs', name), 'utf8');
}

/** The example's files, copied to a fresh folder (an eval writes its records where it runs). */
function project(): string {
  const cwd = tempDir('sop-eval-judge-');
  cpSync(FIXTURE, cwd, { recursive: true });
  return cwd;
}

/** What varies from one eval to the next: run ids, latencies, and the columns' widths that follow them. */
function stable(text: string): string {
  return text
    .replace(/\d{8}-\d{6}-[0-9a-f]+/g, 'RUN_ID')
    .replace(/\d+ ms/g, 'N ms')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

describe('docs: scripting sop eval\'s judge', () => {
  it('docs/eval.md shows the example\'s files as they are, and docs/scripted-model.md its script', () => {
    const evalDoc = doc('eval.md');
    for (const file of FILES) expect(evalDoc, `docs/eval.md lacks ${file} as written`).toContain(`\`\`\`yaml\n${readFileSync(path.join(FIXTURE, file), 'utf8')}\`\`\``);
    expect(doc('scripted-model.md')).toContain(`\`\`\`yaml\n${readFileSync(path.join(FIXTURE, 'answers.yaml'), 'utf8')}\`\`\``);
  });

  it('the documented command prints the documented output: the script scores each rubric, without a warning', async () => {
    const example = /```console\n\$ sop (eval .*)\n([\s\S]*?)```/.exec(doc('eval.md'));
    expect(example, 'docs/eval.md has the example\'s console block').not.toBeNull();
    const [, command, output] = example as RegExpExecArray;
    const cwd = project();
    const result = await sop((command as string).split(' '), { cwd, env: { CI: 'true' } });
    expect(result.code, result.stderr).toBe(0);
    expect(stable(result.stdout)).toBe(stable(output as string));
    // The judge's answers serve calls: no "can serve no call" warning about role `eval`.
    expect(result.stderr).not.toContain('warning');
    // Its first line counts one case as one (it said `1 cases`).
    expect(result.stderr).toMatch(/^eval \S+: 1 case × 1 model × 1 \(record: /);
  });

  it('a judge answer whose gate is no rubric\'s `of` is warned about with the nearest; sop run leaves the judge answers alone', async () => {
    const cwd = project();
    const answers = path.join(cwd, 'answers.yaml');
    writeFileSync(answers, readFileSync(answers, 'utf8').replace('gate: NOTES.md', 'gate: NOTE.md'));
    const [evaluated, ran] = await Promise.all([
      sop(['eval', 'sop.yaml', '--dataset', 'cases.yaml', '--model', 'script:answers.yaml'], { cwd, env: { CI: 'true' } }),
      sop(['run', 'sop.yaml', '--input', 'change=dark mode', '--model', 'script:answers.yaml', '--quiet'], { cwd, env: { CI: 'true' } }),
    ]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toContain('answers.yaml:9:40: warning ANSWER_MISFIT: this answer can serve no call: no judge rubric of the dataset is `of: NOTE.md` (did you mean `NOTES.md`?)\n');
    expect(evaluated.stderr.match(/warning/g)).toHaveLength(1);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).not.toContain('warning');
  });
});
