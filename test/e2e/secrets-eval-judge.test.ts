import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../cli/run-cli.js';
import { answerLikeOffline, type WireRequest } from '../support/fake-llm/offline-answer.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { TEST_KEY, expectNoSecret, project, run } from './providers-helpers.js';

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 0.1.0 }
messages:
  Idea: {}
  Draft: {}
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
roles:
  writer:
    profile: Writer
    goal: Write a short text about the idea
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a short text about {{ inputs.idea }}"
        output: { type: Draft, format: markdown }
        artifacts: [{ path: draft.md }]
stop_when: { type: Draft }
`;

/** The eval's judge (its system prompt) answers a low score whose reasons quote the key; the run's calls answer as the offline model. */
function judgeEchoingKey(request: WireRequest): string {
  if (!request.system.startsWith('You are a strict reviewer')) return answerLikeOffline(request);
  return JSON.stringify({ score: 3, reasons: [`it reads like a config dump: ${TEST_KEY}`] });
}

describe('secrets in eval results', () => {
  it("a key the judge echoes in its reasons is masked in the table, the JUnit report, the results and the eval's record", async (context) => {
    const openai = await startFakeOpenAI({ answer: judgeEchoingKey });
    context.onTestFinished(() => openai.close());
    const cwd = project();
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    writeFileSync(path.join(cwd, 'cases.jsonl'), '{"name":"tides","inputs":{"idea":"tidal power"},"judge":[{"rubric":"clear","of":"draft.md"}]}\n');
    const result = await run(cwd, ['eval', 'sop.yaml', '--dataset', 'cases.jsonl', '--model', 'openai:gpt-4o-mini', '--junit', 'eval.xml', '--out', 'results.json'], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: openai.url,
      SOP_NO_CACHE: '1',
    });
    expect(result.code, result.stderr).toBe(0);
    // The judge did answer with the key: its reasons are shown, masked.
    expect(result.stdout).toContain('draft.md scored 3 (needs 7) against "clear": it reads like a config dump: ***');
    expect(readFileSync(path.join(cwd, 'eval.xml'), 'utf8')).toContain('config dump: ***');
    expectNoSecret(TEST_KEY, cwd, [result]);
  });
});
