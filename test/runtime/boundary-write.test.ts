import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFixture, tempFolder } from './helpers/run-fixture.js';
import { hintsOf, scriptedModel } from './helpers/scripted-model.js';

type Line = { seq: number; type: string; round?: number };

/** The journal's lines as they are on disk right now (raw: the run is still writing it). */
function linesOf(file: string): Line[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Line);
}

describe('round boundaries are written while the next round calls its models', () => {
  it("a round's model call is made before the boundary before it is written; the file still has each boundary before the next round's answers", async () => {
    const cwd = tempFolder();
    const journal = path.join(cwd, 'runs', 'overlap', 'journal.jsonl');
    // What the journal held when each role's call was made.
    const seen: Record<string, Line[]> = {};
    const model = scriptedModel((request) => {
      const role = hintsOf(request).role ?? '?';
      seen[role] = linesOf(journal);
      return role === 'reviewer' ? '{"approved": true, "comments": []}' : 'a draft';
    });
    const run = await runFixture('pipeline.yaml', { cwd, runsDir: path.join(cwd, 'runs'), runId: 'overlap', model });
    expect(run.result.status).toBe('completed');

    // The writer's answer is journaled, round 1's events and commit are not yet: they are written
    // on the turn of the event loop the reviewer's call was made in, while it is out.
    expect(seen['reviewer']?.filter((line) => line.type === 'call-answered').map((line) => line.round)).toEqual([1]);
    expect(seen['reviewer']?.some((line) => line.type === 'round-commit')).toBe(false);
    expect(seen['reviewer']?.some((line) => line.type === 'round-start' && line.round === 1)).toBe(false);

    // In the file, round 1's commit comes before round 2's answer, and seqs follow file order.
    const lines = linesOf(journal);
    expect(lines.map((line) => line.seq)).toEqual(lines.map((_, index) => index + 1));
    const at = (test: (line: Line) => boolean): number => lines.findIndex(test);
    const commit1 = at((line) => line.type === 'round-commit' && line.round === 1);
    const answer2 = at((line) => line.type === 'call-answered' && line.round === 2);
    expect(commit1).toBeGreaterThan(at((line) => line.type === 'call-answered' && line.round === 1));
    expect(answer2).toBeGreaterThan(commit1);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'snapshot', status: 'completed' });
  });
});
