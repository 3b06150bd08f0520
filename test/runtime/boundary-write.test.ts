import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fill, mountTmpfs, unmountAll } from '../support/small-tmpfs.js';
import { runFixture, tempFolder } from './helpers/run-fixture.js';
import { hintsOf, scriptedModel } from './helpers/scripted-model.js';

const folders: string[] = [];
afterAll(() => {
  unmountAll();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A small tmpfs on a fresh folder (needs root, as CI has); the reason it cannot, when it cannot. */
function smallTmpfs(): { dir: string } | { skip: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-boundary-mnt-'));
  folders.push(dir);
  return mountTmpfs(dir, 'size=256k');
}

type Line = { seq: number; type: string; round?: number };

/** The journal's whole lines as they are on disk right now (raw: the run may still be writing it). */
function linesOf(file: string): Line[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').slice(0, -1).map((line) => JSON.parse(line) as Line);
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
    expect(lines[lines.length - 1]).toMatchObject({ type: 'run-closed', status: 'completed' });
  });

  it('a boundary write that fails on its own turn (disk full) fails the run with the storage error, not the process', async (context) => {
    const mount = smallTmpfs();
    if ('skip' in mount) {
      console.warn(`skipped: ${mount.skip}`);
      return context.skip();
    }
    const cwd = tempFolder();
    // The disk fills while the reviewer's call is out, before round 1's boundary is written; the
    // writer's prompt (kept by --event-prompts) makes that boundary larger than a page, so it needs space.
    const model = scriptedModel((request) => {
      const role = hintsOf(request).role;
      if (role === 'reviewer') fill(mount.dir);
      return role === 'reviewer' ? '{"approved": true, "comments": []}' : 'a draft';
    });
    const run = runFixture('pipeline.yaml', { cwd, runsDir: path.join(mount.dir, 'runs'), runId: 'full', model, eventPrompts: true, inputs: { idea: 'x'.repeat(8192) } });
    await expect(run).rejects.toMatchObject({ code: 'STORAGE_NO_SPACE', message: expect.stringContaining(path.join(mount.dir, 'runs', 'full', 'journal.jsonl')) });
    expect(model.requests).toHaveLength(2);
    // Before the torn tail the full disk left (which a resume cuts off): round 0's boundary and the writer's answer.
    const lines = linesOf(path.join(mount.dir, 'runs', 'full', 'journal.jsonl'));
    expect(lines.filter((line) => line.type === 'snapshot').map((line) => line.round)).toEqual([0]);
    expect(lines.filter((line) => line.type === 'round-commit')).toEqual([]);
    expect(lines.filter((line) => line.type === 'call-answered').map((line) => line.round)).toEqual([1]);
  });
});
