import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A resumed run's duration is its working time over every attempt, the pause between them not
 * counted: report.json, report.html's header, the step summary, `sop report --out FILE.md` and
 * `sop runs` (its DURATION column, `--json`'s `durationMs`) all said the last attempt's (0.0s after a slow first attempt).
 */
const SLOW = 800;
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: slow, version: 0.1.0 }
messages:
  Topic: { description: the topic }
  Notes: { description: notes }
  Post: { description: the post }
start: [{ type: Topic, content: owls }]
roles:
  researcher:
    profile: Researcher
    watch: [Topic]
    actions:
      - id: research
        run: { command: [node, -e, "setTimeout(() => console.log('notes'), ${SLOW})"] }
        output: { type: Notes, format: text }
  editor:
    profile: Editor
    watch: [Notes]
    actions:
      - id: edit
        prompt: "Write a post from {{ message.content }}."
        output: { type: Post, format: markdown }
        gates:
          - { name: publish, human: { prompt: Publish this post? } }
stop_when: { type: Post }
`;

describe('a resumed run\'s duration', () => {
  it('is the total of its attempts everywhere it is shown', async () => {
    const cwd = tempDir('sop-resumed-duration-');
    writeFileSync(path.join(cwd, 'slow.yaml'), SOP);
    const env = { GITHUB_ACTIONS: undefined, GITHUB_STEP_SUMMARY: undefined, CI: undefined };
    const paused = await sop(['run', 'slow.yaml', 'idea', '--quiet', '--json'], { cwd, env });
    expect(paused.code, paused.stderr).toBe(8);
    const runId = envelopeOf(paused).result.runId as string;
    const first = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.json'), 'utf8')).durationMs as number;
    expect(first).toBeGreaterThanOrEqual(SLOW);

    const summary = path.join(cwd, 'summary.md');
    const resumed = await sop(['resume', runId, '--approve', '--quiet'], { cwd, env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(resumed.code, resumed.stderr).toBe(0);
    const total = JSON.parse(readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.json'), 'utf8')).durationMs as number;
    // The resume's own work (the approved output, published) adds to the first attempt's.
    expect(total).toBeGreaterThanOrEqual(first);
    const shown = `${(total / 1000).toFixed(1)}s`;
    expect(readFileSync(summary, 'utf8')).toMatch(new RegExp(`^\\| completed \\| 0 \\| 2 \\| 1 \\| \\d+ \\| \\$0 \\| ${shown} \\|$`, 'm'));

    const html = readFileSync(path.join(cwd, '.sop', 'runs', runId, 'report.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] as string);
    expect(data.end).toMatchObject({ status: 'completed', durationMs: total });

    expect((await sop(['report', runId, '--out', 'report.md'], { cwd })).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'report.md'), 'utf8')).toContain(`| ${shown} |`);

    const runs = await sop(['runs', '--json'], { cwd });
    expect(envelopeOf(runs).result.runs).toEqual([expect.objectContaining({ runId, status: 'completed', durationMs: total })]);
    const table = await sop(['runs'], { cwd });
    expect(table.stdout).toMatch(new RegExp(`^${runId} +slow +completed +\\S+ +2 +0 +${total < 1000 ? `${total}ms` : shown.replace('.', '\\.')}$`, 'm'));
  });
});
