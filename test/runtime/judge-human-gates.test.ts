import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/providers/chat-model.js';
import type { Checkpoint } from '../../src/runtime/checkpoint.js';
import { readResumePoint } from '../../src/runtime/index.js';
import type { ApprovalDecision, ApprovalRequest } from '../../src/runtime/index.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt, type ScriptedAnswer, hintsOf } from './helpers/scripted-model.js';

const checkpointOf = (runDir: string): Checkpoint => readResumePoint(runDir).checkpoint;

/** Drafts from `drafts` in order; judge verdicts from `verdicts`; the editor publishes. */
function teamModel(drafts: string[], verdicts: Array<ScriptedAnswer> = []) {
  return scriptedModel((request: ChatRequest) => {
    if (hintsOf(request).kind === 'judge') return verdicts.shift() ?? '{"score": 10, "reasons": ["fine"]}';
    if (userPrompt(request).startsWith('publish')) return 'published';
    return drafts.shift() ?? '# Draft';
  });
}

const draftRequests = (requests: ChatRequest[]): string[] =>
  requests.filter((request) => hintsOf(request).kind === 'action' && userPrompt(request).startsWith('draft')).map(userPrompt);

describe('judge gates', () => {
  it('a passing score publishes; the judge is its own call, on the judge model, with the rubric and the output', async () => {
    const model = teamModel(['# Title\nbody'], ['{"score": 9, "reasons": ["has a title"]}']);
    const run = await runFixture('judge-human.yaml', { model, inputs: { mode: 'judge' } });
    expect(run.result.status).toBe('completed');
    const judge = model.requests.find((request) => hintsOf(request).kind === 'judge') as ChatRequest;
    expect(judge.model).toBe('reviewer');
    expect(judge.responseSchema?.name).toBe('JudgeVerdict');
    expect(userPrompt(judge)).toContain('Rubric: Has a title');
    expect(userPrompt(judge)).toContain('# Title\nbody');
    expect(userPrompt(judge)).toContain('Write a draft with a title');
    expect(eventsOf(run, 'gate-passed')).toEqual([expect.objectContaining({ gate: 'good', kind: 'judge', score: 9 })]);
    expect(run.result.report.gates).toEqual({ 'judged/good': { action: 'judged', gate: 'good', kind: 'judge', checks: 1, passed: 1, failed: 0, passRate: 1 } });
  });

  it('a low score revises the action with the judge\'s reasons, then passes (pass rate 0.5)', async () => {
    const model = teamModel(['no title', '# Title'], ['{"score": 3, "reasons": ["there is no title"]}', '{"score": 8, "reasons": ["ok"]}']);
    const run = await runFixture('judge-human.yaml', { model, inputs: { mode: 'judge' } });
    expect(run.result.status).toBe('completed');
    expect(draftRequests(model.requests)[1]).toContain('the judge scored 3/10 (needs 7)');
    expect(draftRequests(model.requests)[1]).toContain('- there is no title');
    expect(eventsOf(run, 'gate-failed')).toEqual([expect.objectContaining({ gate: 'good', kind: 'judge', score: 3, onFail: 'revise' })]);
    expect(run.result.report.gates['judged/good']).toMatchObject({ checks: 2, passed: 1, failed: 1, passRate: 0.5 });
  });

  it('a prompt that places `previous_output` itself gets the revised output there, and only the feedback appended', async () => {
    const model = scriptedModel(() => (model.requests.length === 1 ? 'give it' : 'please give it'));
    const run = await runFixture('revise-previous.yaml', { model });
    expect(run.result.status).toBe('completed');
    expect(model.requests.map(userPrompt)).toEqual(['draft', expect.stringMatching(/^draft AGAIN, better than: give it\n\nFeedback on your previous output:\n.*please/)]);
  });

  it('a judge that never replies with a verdict fails the action (OUTPUT_INVALID, exit 9) after one re-ask', async () => {
    const model = teamModel(['# Title'], ['looks fine to me', 'really fine']);
    const run = await runFixture('judge-human.yaml', { model, inputs: { mode: 'judge' } });
    expect(run.result).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(run.result.error?.code).toBe('OUTPUT_INVALID');
    expect(run.result.error?.message).toContain('judge gate "good"');
    expect(model.requests.filter((request) => hintsOf(request).kind === 'judge')).toHaveLength(2);
  });
});

describe('human gates', () => {
  it('switched off by `enabled`: the output is published without asking', async () => {
    const model = teamModel(['# Title']);
    const run = await runFixture('judge-human.yaml', { model, inputs: { mode: 'human', review: 'false' } });
    expect(run.result.status).toBe('completed');
    expect(eventsOf(run, 'approval-requested')).toEqual([]);
  });

  it('without an approver the run stops awaiting approval (exit 8) with the request saved; resume --approve finishes without repeating calls', async () => {
    const model = teamModel(['# Title']);
    const first = await runFixture('judge-human.yaml', { model, inputs: { mode: 'human', review: 'true' } });
    expect(first.result).toMatchObject({ status: 'awaiting_approval', exitCode: 8 });
    expect(first.result.report.awaiting).toEqual([
      expect.objectContaining({ gate: 'approve', role: 'writer', action: 'reviewed', prompt: 'Review the 7-character draft', artifacts: ['draft.md'], excerpt: '# Title' }),
    ]);
    expect(first.result.report.hint).toContain(`sop resume ${first.result.runId} --approve`);
    // The gate revises on a rejection (on_fail: { revise: 1 }): the hint offers it as a way to a better draft.
    expect(first.result.report.hint).toContain('`--reject "what to change"` or `--edit FILE`');
    const point = readResumePoint(first.result.runDir);
    const { checkpoint } = point;
    expect(checkpoint).toMatchObject({ status: 'awaiting_approval', awaiting: [expect.objectContaining({ gate: 'approve' })] });
    expect(readFileSync(path.join(first.result.workspace, 'draft.md'), 'utf8')).toBe('# Title');
    expect(model.requests).toHaveLength(1);

    const resumed = await runFixture('judge-human.yaml', { model, cwd: first.cwd, resume: { runDir: first.result.runDir, ...point, decision: { kind: 'approve' } } });
    expect(resumed.result).toMatchObject({ status: 'completed', exitCode: 0 });
    // The draft was answered from the journal: the only new call is the editor's.
    expect(model.requests.slice(1).map(userPrompt)).toEqual(['publish # Title']);
    expect(eventsOf(resumed, 'approval-decided').at(-1)).toMatchObject({ gate: 'approve', decision: 'approve', by: 'resume' });
    expect(resumed.result.report.gates['reviewed/approve']).toMatchObject({ checks: 1, passed: 1 });
    // The stopped round's draft is counted once: the resume point holds the counts from before that round.
    expect(resumed.result.report.usage.total.calls).toBe(2);
    expect(resumed.result.report.models).toEqual({ [Object.keys(first.result.report.models)[0] as string]: 2 });
  });

  it('a foreach action: every item reaches its human gate before the run stops, and one resume --approve decides them all without asking a model again', async () => {
    const model = scriptedModel((request) => (userPrompt(request).startsWith('bind') ? 'the book' : `chapter ${userPrompt(request).slice(6)}`));
    const first = await runFixture('foreach-human.yaml', { model });
    expect(first.result).toMatchObject({ status: 'awaiting_approval', exitCode: 8 });
    expect(first.result.report.awaiting?.map((request) => [request.index, request.prompt, request.excerpt])).toEqual([
      [0, 'Review chapter 0', 'chapter alpha'],
      [1, 'Review chapter 1', 'chapter beta'],
      [2, 'Review chapter 2', 'chapter gamma'],
    ]);
    expect(first.result.report.hint).toBe(`review the 3 outputs, then continue with \`sop resume ${first.result.runId} --approve\` (all of them) or \`--reject "what to change"\` (each gate's \`on_fail\` then decides: revise with that feedback, route or stop); decide one with --gate: \`sop resume ${first.result.runId} --approve --gate 'writer/approve#0'\``);
    expect(model.requests.map(userPrompt)).toEqual(['write alpha', 'write beta', 'write gamma']);

    const resumed = await runFixture('foreach-human.yaml', { model, cwd: first.cwd, resume: { runDir: first.result.runDir, ...readResumePoint(first.result.runDir), decision: { kind: 'approve' } } });
    expect(resumed.result).toMatchObject({ status: 'completed', exitCode: 0 });
    // The chapters were answered from the journal: the only new call is the binder's.
    expect(model.requests.slice(3).map(userPrompt)).toEqual(['bind 3 chapters']);
    expect(eventsOf(resumed, 'approval-decided').map((event) => [event['index'], event['decision'], event['by']])).toEqual([
      [0, 'approve', 'resume'],
      [1, 'approve', 'resume'],
      [2, 'approve', 'resume'],
    ]);
  });

  it('resume.decisionFor decides only the foreach items it names (`#N`); the others pause the run again, and no model is asked again', async () => {
    const model = scriptedModel((request) => (userPrompt(request).startsWith('bind') ? 'the book' : `chapter ${userPrompt(request).slice(6)}`));
    const first = await runFixture('foreach-human.yaml', { model });
    const resumeOf = (run: typeof first) => ({ runDir: run.result.runDir, ...readResumePoint(run.result.runDir) });
    await expect(runFixture('foreach-human.yaml', { model, cwd: first.cwd, resume: { ...resumeOf(first), decisionFor: ['#1'] } })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('resume.decision is missing') });
    await expect(runFixture('foreach-human.yaml', { model, cwd: first.cwd, resume: { ...resumeOf(first), decision: { kind: 'approve' }, decisionFor: ['write#3'] } })).rejects.toMatchObject({
      code: 'USAGE',
      message: 'resume.decisionFor write#3: no awaited approval has that role, action, gate, message or item',
      hint: 'the run awaits: writer/approve#0, writer/approve#1, writer/approve#2',
    });

    const second = await runFixture('foreach-human.yaml', { model, cwd: first.cwd, resume: { ...resumeOf(first), decision: { kind: 'approve' }, decisionFor: ['write#1'] } });
    expect(second.result).toMatchObject({ status: 'awaiting_approval', exitCode: 8 });
    expect(eventsOf(second, 'approval-decided').map((event) => [event['index'], event['decision'], event['by']])).toEqual([[1, 'approve', 'resume']]);
    expect(second.result.report.awaiting?.map((request) => request.index)).toEqual([0, 2]);
    const third = await runFixture('foreach-human.yaml', { model, cwd: first.cwd, resume: { ...resumeOf(second), decision: { kind: 'approve' } } });
    expect(third.result).toMatchObject({ status: 'completed', exitCode: 0 });
    // The journal's decisions: item 1's by the resume before; then, when the round ran again, all three, item 1's given back.
    expect(eventsOf(third, 'approval-decided').map((event) => [event['index'], event['decision'], event['by']])).toEqual([
      [1, 'approve', 'resume'],
      [0, 'approve', 'resume'],
      [1, 'approve', 'resume'],
      [2, 'approve', 'resume'],
    ]);
    expect(model.requests.map(userPrompt)).toEqual(['write alpha', 'write beta', 'write gamma', 'bind 3 chapters']);
  });

  it('a foreach item that fails stops the items after it, and the run fails, even after an item awaiting approval', async () => {
    const model = scriptedModel((request) => {
      if (userPrompt(request) === 'write beta') throw new Error('the model broke');
      return `chapter ${userPrompt(request).slice(6)}`;
    });
    const run = await runFixture('foreach-human.yaml', { model });
    expect(run.result.status).toBe('failed');
    expect(model.requests.map(userPrompt).filter((prompt) => prompt.startsWith('write'))).toEqual(expect.arrayContaining(['write alpha', 'write beta']));
    expect(model.requests.map(userPrompt)).not.toContain('write gamma');
  });

  it('resume --reject revises with the reviewer\'s feedback; the new output needs a new approval', async () => {
    const model = teamModel(['# Title', '# Title\nmore detail']);
    const first = await runFixture('judge-human.yaml', { model, inputs: { mode: 'human', review: 'true' } });
    const resumed = await runFixture('judge-human.yaml', {
      model,
      cwd: first.cwd,
      resume: { runDir: first.result.runDir, ...readResumePoint(first.result.runDir), decision: { kind: 'reject', feedback: 'add more detail' } },
    });
    expect(resumed.result).toMatchObject({ status: 'awaiting_approval', exitCode: 8 });
    expect(draftRequests(model.requests)).toEqual(['draft', 'draft FIX: gate "approve" failed: the reviewer rejected the output: add more detail']);
    expect(eventsOf(resumed, 'gate-failed')).toEqual([expect.objectContaining({ gate: 'approve', kind: 'human', onFail: 'revise' })]);
    expect(checkpointOf(first.result.runDir).awaiting?.[0]?.excerpt).toBe('# Title\nmore detail');
  });

  it('a revision appends the previous output, then the feedback, to a prompt that places neither; a run recorded by an older version (no revisionPrompt setting) is asked as it was: the feedback alone', async () => {
    const rejectOnResume = async (older: boolean): Promise<string> => {
      const model = scriptedModel(() => 'please read draft ' + model.requests.length);
      const first = await runFixture('revise-appended.yaml', { model, inputs: { review: true } });
      expect(first.result.status).toBe('awaiting_approval');
      const journal = path.join(first.result.runDir, 'journal.jsonl');
      const recorded = readFileSync(journal, 'utf8');
      expect(recorded).toContain(',"revisionPrompt":"output-and-feedback"');
      if (older) writeFileSync(journal, recorded.replaceAll(',"revisionPrompt":"output-and-feedback"', ''));
      await runFixture('revise-appended.yaml', {
        model,
        cwd: first.cwd,
        resume: { runDir: first.result.runDir, ...readResumePoint(first.result.runDir), decision: { kind: 'reject', feedback: 'add more detail' } },
      });
      expect(model.requests).toHaveLength(2);
      return userPrompt(model.requests[1] as ChatRequest);
    };
    expect(await rejectOnResume(false)).toBe('draft\n\nYour previous output:\nplease read draft 1\n\nFeedback on your previous output:\ngate "approve" failed: the reviewer rejected the output: add more detail');
    expect(await rejectOnResume(true)).toBe('draft\n\nFeedback on your previous output:\ngate "approve" failed: the reviewer rejected the output: add more detail');
  });

  it('a gate that fails in the run revises a prompt that places neither with the output it sent back', async () => {
    const model = scriptedModel(() => (model.requests.length === 1 ? 'give it' : 'please give it'));
    const run = await runFixture('revise-appended.yaml', { model, inputs: {} });
    expect(run.result.status).toBe('completed');
    expect(userPrompt(model.requests[1] as ChatRequest)).toMatch(/^draft\n\nYour previous output:\ngive it\n\nFeedback on your previous output:\ngate "polite" failed: /);
  });

  it('an approver answers on the spot: approve, reject, or edit (the edit replaces the output and its artifact)', async () => {
    const asked: ApprovalRequest[] = [];
    const decisions: ApprovalDecision[] = [{ kind: 'edit', content: '# Edited by a person' }];
    const model = teamModel(['# Title']);
    const run = await runFixture('judge-human.yaml', {
      model,
      inputs: { mode: 'human', review: 'true' },
      approve: async (request) => {
        asked.push(request);
        return decisions.shift() ?? { kind: 'approve' };
      },
    });
    expect(run.result.status).toBe('completed');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ gate: 'approve', output: '# Title', artifacts: ['draft.md'], format: 'text' });
    expect(readFileSync(path.join(run.result.workspace, 'draft.md'), 'utf8')).toBe('# Edited by a person');
    expect(model.requests.map(userPrompt)).toEqual(['draft', 'publish # Edited by a person']);
    // The gates after the human gate check the edited output.
    expect(eventsOf(run, 'gate-passed').map((event) => [event['gate'], event['edited'] ?? false])).toEqual([
      ['approve', true],
      ['titled', false],
    ]);
  });

  it('a decision given on the terminal is kept: when the round runs again after a stop, it is not asked again', async () => {
    const model = teamModel(['# Title', '# Title\nmore']);
    const asked: string[] = [];
    const first = await runFixture('judge-human.yaml', {
      model,
      inputs: { mode: 'human', review: 'true' },
      // Rejects the first draft, then gives no answer (end of input): the run stops awaiting approval.
      approve: async (request) => {
        asked.push(request.output);
        return asked.length === 1 ? { kind: 'reject', feedback: 'more' } : undefined;
      },
    });
    expect(first.result.status).toBe('awaiting_approval');
    const resumed = await runFixture('judge-human.yaml', {
      model,
      cwd: first.cwd,
      resume: { runDir: first.result.runDir, ...readResumePoint(first.result.runDir) },
      approve: async (request) => {
        asked.push(request.output);
        return { kind: 'approve' };
      },
    });
    expect(resumed.result.status).toBe('completed');
    // The rejection of '# Title' came back from the journal's approval-given line; only the revision was asked about again.
    expect(asked).toEqual(['# Title', '# Title\nmore', '# Title\nmore']);
    expect(model.requests.map(userPrompt).filter((prompt) => prompt.startsWith('draft'))).toHaveLength(2);
  });

  it('a decision quoting a secret is journaled with the secret masked', async () => {
    const secret = 'sk-approval-secret-1234567890';
    const model = teamModel(['# Title', '# Title\nmore']);
    const decisions: ApprovalDecision[] = [{ kind: 'reject', feedback: `do not print ${secret}` }, { kind: 'approve' }];
    const run = await runFixture('judge-human.yaml', { model, secrets: [secret], inputs: { mode: 'human', review: 'true' }, approve: async () => decisions.shift() });
    expect(run.result.status).toBe('completed');
    const journal = readFileSync(path.join(run.result.runDir, 'journal.jsonl'), 'utf8');
    expect(journal.split('\n').filter((line) => line.includes('"type":"approval-given"')).join('\n')).toContain('do not print ***');
    expect(journal).not.toContain(secret);
  });
});
