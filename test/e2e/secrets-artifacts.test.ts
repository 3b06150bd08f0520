import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../cli/run-cli.js';
import { answerLikeOffline, type WireRequest } from '../support/fake-llm/offline-answer.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { IDEA, SOFTWARE_COMPANY, TEST_KEY, artifacts, expectNoSecret, project, run, workspaceOf } from './providers-helpers.js';

afterAll(removeTempDirs);

/**
 * The offline answer, with the key slipped into the prose of the PRD and the design (their long
 * JSON strings); the task list and the code are left alone so the team's tests still pass.
 */
function echoingKey(request: WireRequest): string {
  const text = answerLikeOffline(request);
  if (!/Your reply becomes an? (PRD|SystemDesign) message/.test(request.system)) return text;
  return JSON.stringify(withKey(JSON.parse(text)));
}

function withKey(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 30 ? `${value} (key ${TEST_KEY})` : value;
  if (Array.isArray(value)) return value.map(withKey);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withKey(item)]));
  return value;
}

describe('secrets in artifacts', () => {
  it('a key the model echoes is masked in the artifacts it ends up in, as in the records', async (context) => {
    const openai = await startFakeOpenAI({ answer: echoingKey });
    context.onTestFinished(() => openai.close());
    const cwd = project();
    const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', 'openai:gpt-4o-mini'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url, SOP_NO_CACHE: '1' });
    expect(result.code, result.stderr).toBe(0);
    const written = artifacts(workspaceOf(cwd));
    // The model did put the key into what became artifacts: they carry the mask instead.
    const masked = Object.keys(written).filter((file) => written[file]?.includes('***'));
    expect(masked.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(workspaceOf(cwd), 'docs', 'prd.md'), 'utf8')).toContain('***');
    expect(readFileSync(path.join(workspaceOf(cwd), 'docs', 'system_design.md'), 'utf8')).toContain('***');
    expectNoSecret(TEST_KEY, cwd, [result]);
  });
});
