import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop } from './run-cli.js';
import { blogProject } from './human-gate-blog.js';

/**
 * The offline model judges nothing: it gives every rubric 10 ("offline model: no review made"), which
 * read as a real pass in the results. Such a rubric still passes (an offline eval stays green), but
 * is marked not graded wherever results are shown: the table's note, the progress line, JSON's
 * `notGraded`, the JUnit case's output and report.html.
 */
afterAll(removeTempDirs);

interface RunJson { judges: Array<{ of: string; score: number | null; passed: boolean; notGraded?: string }> }

describe('sop eval: a rubric the offline model scored', () => {
  const cases = `apiVersion: sop-eval/v1
cases:
  - name: drafts
    inputs: { topic: spring }
    expect: { status: awaiting_approval }
    judge: [{ rubric: Talks about spring, of: post.md }]
`;

  it('passes, marked not graded in the table, the progress line, JSON, JUnit and report.html', async () => {
    const dir = blogProject({ 'cases.yaml': cases });
    const human = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--model', 'offline', '--junit', 'eval.xml'], { cwd: dir });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('drafts  pass');
    expect(human.stdout).toContain("not graded: 1 judge rubric of 1 run (offline model: it reviews nothing and gives every rubric 10); their passes say nothing of quality: --judge-model PROVIDER:MODEL (or the dataset's judge_model) grades them\n  drafts on offline: judge[0] post.md");
    expect(human.stderr).toContain('[1/1] drafts on offline: passed (1 rubric not graded: offline model)');
    expect(readFileSync(path.join(dir, 'eval.xml'), 'utf8')).toContain('<system-out>not graded (offline model: it reviews nothing and gives every rubric 10): judge[0] post.md</system-out>');
    const evals = path.join(dir, '.sop', 'evals');
    const page = readFileSync(path.join(evals, readdirSync(evals)[0] as string, 'report.html'), 'utf8');
    expect(page).toContain('"notGraded":["judge[0] post.md"]');

    const json = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--model', 'offline', '--json'], { cwd: dir });
    const run = (JSON.parse(json.stdout) as { result: { runs: RunJson[] } }).result.runs[0] as RunJson;
    expect(run.judges[0]).toMatchObject({ score: 10, passed: true, notGraded: 'offline model: it reviews nothing and gives every rubric 10' });
  });

  it('a scripted verdict is a grade: no mark; a rubric the script leaves to the offline model is marked', async () => {
    const answers = 'apiVersion: sop-script/v1\nanswers:\n  - { role: eval, action: judge, gate: post.md, judge: { score: 8, reasons: [names the season] } }\n';
    const twoRubrics = cases.replace('judge: [{ rubric: Talks about spring, of: post.md }]', 'judge: [{ rubric: Talks about spring, of: post.md }, { rubric: Names the topic, of: Topic }]');
    const dir = blogProject({ 'cases.yaml': twoRubrics, 'answers.yaml': answers });
    const result = await sop(['eval', 'blog.yaml', '--dataset', 'cases.yaml', '--model', 'script:answers.yaml', '--json'], { cwd: dir });
    const run = (JSON.parse(result.stdout) as { result: { runs: RunJson[] } }).result.runs[0] as RunJson;
    expect(run.judges[0]).toMatchObject({ score: 8, passed: true });
    expect(run.judges[0]).not.toHaveProperty('notGraded');
    expect(run.judges[1]).toMatchObject({ of: 'Topic', score: 10, notGraded: 'offline model: it reviews nothing and gives every rubric 10' });
  });
});
