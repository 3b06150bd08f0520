import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * Two roles' human gates await approval at once. `sop resume --approve` decides both; `--gate`
 * narrows a decision to the approvals it names (role, action, gate or trigger message), so one
 * output can be approved and the other edited or rejected. The one decided is not asked again.
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: post-and-ad, version: 1.0.0 }
settings: { n_round: 5 }
messages:
  Idea: { description: the idea }
  Post: { description: a blog post }
  Ad: { description: an ad }
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
roles:
  blogger:
    profile: Blogger
    watch: [Idea]
    actions:
      - id: write_post
        prompt: "Write a post about {{ message.content }}"
        output: { type: Post, format: markdown }
        artifacts: [{ path: post.md }]
        gates: [{ name: approved, human: { prompt: Publish the post? } }]
  marketer:
    profile: Marketer
    watch: [Idea]
    actions:
      - id: write_ad
        prompt: "Write an ad about {{ message.content }}"
        output: { type: Ad, format: markdown }
        artifacts: [{ path: ad.md }]
        gates: [{ name: approved, human: { prompt: Run the ad? } }]
`;

afterAll(removeTempDirs);

async function pausedRun(): Promise<{ cwd: string; runId: string }> {
  const cwd = tempDir('sop-gate-choice-');
  writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
  const run = await sop(['run', 'sop.yaml', 'tidal power', '--ci'], { cwd });
  expect(run.code, run.stderr).toBe(8);
  const runId = /run record: \.sop\/runs\/(\S+)/.exec(run.stderr)?.[1] as string;
  // The stop says how to decide one of the two.
  expect(run.stderr).toContain(`; decide one with --gate: \`sop resume ${runId} --approve --gate blogger/approved\``);
  return { cwd, runId };
}

describe('sop resume --gate', () => {
  it('decides only the approvals it names; the others pause the run again, and the decided one is not asked again', async () => {
    const { cwd, runId } = await pausedRun();
    const approved = await sop(['resume', runId, '--approve', '--gate', 'blogger', '--ci'], { cwd });
    expect(approved.code, approved.stderr).toBe(8);
    expect(approved.stderr).toContain('[round 1] blogger write_post: gate approved: approve (given to sop resume)');
    expect(approved.stderr).toContain('awaiting approval: gate approved (role marketer, action write_ad): Run the ad?');
    expect(approved.stderr).not.toContain('awaiting approval: gate approved (role blogger');
    // Its gate stops the run on a rejection (on_fail: stop, the default): the hint says so rather than offering a revision.
    expect(approved.stderr).toContain(`continue with \`sop resume ${runId} --approve\` or \`--edit FILE\`; \`--reject "why"\` ends the run (the gate has \`on_fail: stop\`; \`on_fail: { revise: N }\` would revise with the feedback)`);

    // The remaining one edited, named by its action: the run completes with the edited ad and the approved post.
    writeFileSync(path.join(cwd, 'ad.md'), 'Tidal power: the moon works for you.\n');
    const edited = await sop(['resume', runId, '--edit', 'ad.md', '--gate', 'write_ad', '--ci'], { cwd });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stderr).toContain('[round 1] blogger write_post: gate approved: approve (given to sop resume)');
    expect(edited.stderr).toContain('[round 1] marketer write_ad: gate approved: edit (given to sop resume)');
    expect(edited.stderr).not.toContain('asks for approval');
    expect(edited.stderr).toMatch(/; 2 answered calls from the journal/);
    const workspace = path.join(cwd, 'workspace', 'post-and-ad');
    expect(readFileSync(path.join(workspace, 'ad.md'), 'utf8')).toBe('Tidal power: the moon works for you.\n');
    expect(readFileSync(path.join(workspace, 'post.md'), 'utf8')).toContain('tidal power');
  });

  it('refuses a name no awaited approval has, --gate without a decision, --edit of two, and --gate with --queue, deciding nothing', async () => {
    const { cwd, runId } = await pausedRun();
    const typo = await sop(['resume', runId, '--approve', '--gate', 'bloger', '--ci'], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error USAGE: --gate bloger: no awaited approval has that role, action, gate, message or item');
    expect(typo.stderr).toContain('hint: did you mean `blogger`? the run awaits: blogger/approved, marketer/approved');
    // A typo in one word of a longer name: the whole name corrected, to paste (it named the word alone).
    const inPath = await sop(['resume', runId, '--approve', '--gate', 'blogger/aproved', '--ci'], { cwd });
    expect(inPath.code).toBe(2);
    expect(inPath.stderr).toContain('hint: did you mean `blogger/approved`? the run awaits: blogger/approved, marketer/approved');
    const alone = await sop(['resume', runId, '--gate', 'blogger', '--ci'], { cwd });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('error USAGE: --gate blogger: says which awaited approvals a decision is for, but no decision was given');
    const both = await sop(['resume', runId, '--edit', 'sop.yaml', '--ci'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('hint: name one with --gate (blogger/approved, marketer/approved)');
    const queued = await sop(['resume', runId, '--approve', '--gate', 'blogger', '--queue', 'redis://127.0.0.1:1'], { cwd });
    expect(queued.code).toBe(2);
    expect(queued.stderr).toContain('error USAGE: --gate cannot be used with --queue');
    for (const result of [typo, alone, both, queued]) expect(result.stderr).not.toMatch(STACK_LINE);
    // Nothing was decided: both still await approval.
    const runs = await sop(['runs', '--json'], { cwd });
    expect(JSON.parse(runs.stdout).result.runs[0]).toMatchObject({ id: runId, status: 'awaiting_approval' });
  });
});
