import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from '../cli/run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import { TEST_KEY, expectNoSecret, noteSop, project, run } from './providers-helpers.js';

afterAll(removeTempDirs);

/** A key an endpoint takes in its URL (Azure-style `?api-key=`), given as OPENAI_BASE_URL. */
const URL_KEY = 'q-SECRET-URL-789';

describe('a key in the base URL', () => {
  // The OpenAI client puts its path after the query (`?api-key=K/chat/completions`), so such an
  // endpoint answers 404: the run fails, and its error names the endpoint in the CI log.
  it('is masked in the progress, the error, the CI reports and the run record; other query fields are shown', async (context) => {
    const openai = await startFakeOpenAI();
    context.onTestFinished(() => openai.close());
    const cwd = project();
    writeFileSync(path.join(cwd, 'note.yaml'), noteSop({ artifact: true }));
    const env = {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: `${openai.url}?api-version=2024-02-01&api-key=${URL_KEY}`,
      SOP_NO_CACHE: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: cwd,
      GITHUB_STEP_SUMMARY: path.join(cwd, 'summary.md'),
    };
    const args = ['note.yaml', 'a note', '--model', 'openai:gpt-4o-mini', '--ci', '--junit', 'junit.xml', '--events', 'events.ndjson', '--record', 'run.cassette'];
    const result = await run(cwd, ['run', ...args], env);
    expect(result.code, result.stderr).toBe(10);
    expect(result.stderr).toContain(`via ${openai.url}?api-version=2024-02-01&api-key=***`);
    const config = await run(cwd, ['config'], env);
    expectNoSecret(URL_KEY, cwd, [result, config]);
  });
});
