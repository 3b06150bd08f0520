import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSop } from '../../src/runtime/index.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { fanoutSop } from './helpers/fanout-sop.js';
import { tempFolder } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt } from './helpers/scripted-model.js';

/**
 * What `journal.jsonl` holds while the aggregator's call is out, 20 ms after it was asked: the
 * reviewers' round is on disk then, or still held to go with the aggregator's answer in one write.
 */
async function wideRoundOnDiskDuringNextCall(reviewers: number): Promise<boolean> {
  const cwd = tempFolder();
  const file = path.join(cwd, 'fanout.yaml');
  writeFileSync(file, fanoutSop(Array.from({ length: reviewers }, (_, i) => `Review ${i + 1} of {{ message.content }}`)));
  const { sop } = await loadResolvedSop(file);
  const journal = path.join(cwd, 'runs', 'wide', 'journal.jsonl');
  let onDisk: boolean | undefined;
  const model = scriptedModel(() => 'ok');
  const asking = model.complete.bind(model);
  model.complete = async (request) => {
    if (userPrompt(request).startsWith('Summarize')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      onDisk = readFileSync(journal, 'utf8').includes('"type":"round-commit","round":2');
    }
    return asking(request);
  };
  const result = await runSop(sop, { cwd, runsDir: path.join(cwd, 'runs'), runId: 'wide', inputs: { idea: 'x' }, model });
  expect(result.status).toBe('completed');
  expect(readFileSync(journal, 'utf8')).toContain('"type":"round-commit","round":2');
  return onDisk as boolean;
}

describe("a round boundary's write", () => {
  it("goes with the next round's first answer when small (one write), and at once when a wide round makes it long", async () => {
    expect(await wideRoundOnDiskDuringNextCall(2)).toBe(false);
    expect(await wideRoundOnDiskDuringNextCall(300)).toBe(true);
  });
});
