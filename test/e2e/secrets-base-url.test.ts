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
  // Azure's form and a gateway's key in the URL: the query goes on every request (the client
  // would otherwise put its path after it, `?api-key=K/chat/completions`, and get a 404).
  it('reaches the server on every request, streamed or listed; it is masked in the progress, the CI reports and the run record; other query fields are shown', async (context) => {
    const openai = await startFakeOpenAI();
    context.onTestFinished(() => openai.close());
    const cwd = project();
    writeFileSync(path.join(cwd, 'note.yaml'), noteSop({ artifact: true }));
    const query = `?api-version=2024-02-01&api-key=${URL_KEY}`;
    const env = {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: `${openai.url}${query}`,
      SOP_NO_CACHE: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: cwd,
      GITHUB_STEP_SUMMARY: path.join(cwd, 'summary.md'),
    };
    const args = ['note.yaml', 'a note', '--model', 'openai:gpt-4o-mini', '--ci', '--junit', 'junit.xml', '--events', 'events.ndjson', '--record', 'run.cassette'];
    const result = await run(cwd, ['run', ...args], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`via ${openai.url}?api-version=2024-02-01&api-key=***`);
    const doctor = await run(cwd, ['doctor'], env);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    const config = await run(cwd, ['config'], env);
    const chats = openai.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(chats.length).toBeGreaterThan(0);
    expect(chats.every((request) => request.body.stream === true)).toBe(true);
    expect(openai.requests.map((request) => request.search)).toEqual(openai.requests.map(() => query));
    expect(openai.requests.some((request) => request.path === '/v1/models')).toBe(true);
    expectNoSecret(URL_KEY, cwd, [result, doctor, config]);
  });
});
