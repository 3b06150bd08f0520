import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashKeyFields, type RequestKeyFields } from '../../src/providers/cache/request-key.js';
import { removeTempDirs, repoRoot } from '../cli/run-cli.js';
import { startFakeOpenAI } from '../support/fake-llm/openai-server.js';
import type { WireRequest } from '../support/fake-llm/offline-answer.js';
import { TEST_KEY, lastRun, project, run } from './providers-helpers.js';

/**
 * examples/tested-code: the engineer's module is checked by a command gate running the QA
 * engineer's tests; a failing module is revised with the test output until it passes.
 */
const EXAMPLE = path.join(repoRoot, 'examples', 'tested-code', 'sop.yaml');
const CASSETTE = path.join(repoRoot, 'examples', 'tested-code', 'fails-once.cassette');
const MODEL = 'openai:gpt-4o-mini';

const TESTS = `import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import slug  # noqa: E402


class SlugifyTest(unittest.TestCase):
    def test_lowercases_and_joins_words(self):
        self.assertEqual(slug.slugify("Hello World"), "hello-world")

    def test_collapses_runs_of_other_characters(self):
        self.assertEqual(slug.slugify("a -- b!!c"), "a-b-c")

    def test_no_hyphen_at_either_end(self):
        self.assertEqual(slug.slugify("  Hi there!  "), "hi-there")


if __name__ == "__main__":
    unittest.main()
`;

/** The first module forgets the ends; the revision (asked with the failing output) fixes them. */
const FIRST = 'import re\n\n\ndef slugify(text):\n    return re.sub(r"[^a-z0-9]+", "-", text.lower())\n';
const REVISED = 'import re\n\n\ndef slugify(text):\n    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")\n';

function scripted(request: WireRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  const code = last.includes('Write `tests/test_slug.py`') ? TESTS : last.includes('Your previous version failed them') ? REVISED : FIRST;
  return `\`\`\`python\n${code}\`\`\``;
}

afterAll(removeTempDirs);

describe('examples/tested-code', () => {
  it('offline: the tests are written, the module passes the command gate at once', async () => {
    const cwd = project();
    const result = await run(cwd, ['run', EXAMPLE, '--workspace', 'out'], {});
    expect(result.code, result.stderr).toBe(0);
    const { report, events } = lastRun(cwd);
    expect(report.gates['write_module/tests-pass']).toMatchObject({ kind: 'command', checks: 1, passed: 1, passRate: 1 });
    expect(events.filter((event) => event.type === 'command-end' && event.gate === 'tests-pass').map((event) => event.exitCode)).toEqual([0]);
  });

  it('a module that fails its tests is revised with the test output, then passes; the cassette replays it without a model', async () => {
    const openai = await startFakeOpenAI({ answer: scripted });
    const cwd = project();
    try {
      const recorded = await run(cwd, ['run', EXAMPLE, '--model', MODEL, '--record', 'fails-once.cassette', '--workspace', 'recorded'], {
        OPENAI_API_KEY: TEST_KEY,
        OPENAI_BASE_URL: openai.url,
      });
      expect(recorded.code, recorded.stderr).toBe(0);
    } finally {
      await openai.close();
    }
    const check = (workspace: string): void => {
      const { report, events } = lastRun(cwd);
      expect(report.status).toBe('completed');
      expect(report.gates['write_module/tests-pass']).toMatchObject({ checks: 2, passed: 1, failed: 1, passRate: 0.5 });
      const failed = events.filter((event) => event.type === 'gate-failed');
      expect(failed).toEqual([expect.objectContaining({ gate: 'tests-pass', kind: 'command', onFail: 'revise', attempt: 1 })]);
      expect(failed[0].feedback).toContain('test_no_hyphen_at_either_end');
      expect(readFileSync(path.join(cwd, workspace, 'slug.py'), 'utf8')).toBe(REVISED);
    };
    check('recorded');
    // The revision's prompt carried the failing test's output.
    const revisionPrompt = openai.requests.map((request) => JSON.stringify(request.body)).find((body) => body.includes('Your previous version failed them'));
    expect(revisionPrompt).toContain("FAIL test_slug.SlugifyTest.test_no_hyphen_at_either_end: AssertionError: '-hi-there-' != 'hi-there'");
    if (process.env['UPDATE_CASSETTES'] === '1') copyFileSync(path.join(cwd, 'fails-once.cassette'), CASSETTE);

    const replayed = await run(cwd, ['run', EXAMPLE, '--model', MODEL, '--replay', CASSETTE, '--workspace', 'replayed'], {});
    expect(replayed.code, replayed.stderr).toBe(0);
    check('replayed');
    // Answered by the cassette given, and said so: not "cached", nor "from the cache".
    expect(replayed.stderr).toMatch(/^\[round 1\] qa_engineer write_tests \.\.\. done \(replayed, /m);
    expect(replayed.stderr).toMatch(/^\[round 2\] engineer write_module \.\.\. done \(2 calls, replayed, /m);
    expect(replayed.stderr).toMatch(/^model calls: 3 \(\d+ tokens\), openai:gpt-4o-mini; 3 from the cassette$/m);
    expect(replayed.stderr).not.toContain('cached');
  });
  it('a cassette recorded when the prompt ended a sentence description twice (`down..`) still replays, with the same answers', async () => {
    const cwd = project();
    // The shipped cassette is recorded in today's wording: every contract line ends once.
    const shipped = readFileSync(CASSETTE, 'utf8');
    expect(shipped).toContain('Your reply becomes a TestsWritten message: The unittest file that pins the specification down.\\n');
    expect(shipped).not.toMatch(/message: [^"\\]*[.!?]\.\\n/);
    // The same cassette as a runner that added the full stop to every description wrote it.
    const older = shipped.split('\n').map((line, index) => {
      if (index === 0 || line.trim() === '') return line;
      const exchange = JSON.parse(line) as RequestKeyFields & { key: string };
      for (const message of exchange.messages) {
        if (message.role === 'system') message.content = message.content.replace(/^(Your reply becomes an? \w+ message: .*[.!?])$/m, '$1.');
      }
      const { key: _key, ...rest } = exchange;
      exchange.key = hashKeyFields({ provider: rest.provider, model: rest.model, messages: rest.messages, temperature: rest.temperature, maxTokens: rest.maxTokens, responseSchema: rest.responseSchema, tools: rest.tools, toolChoice: rest.toolChoice });
      return JSON.stringify(exchange);
    }).join('\n');
    expect(older).toContain('pins the specification down..');
    writeFileSync(path.join(cwd, 'older.cassette'), older);

    const replayed = await run(cwd, ['run', EXAMPLE, '--model', MODEL, '--replay', 'older.cassette', '--workspace', 'replayed'], {});
    expect(replayed.code, replayed.stderr).toBe(0);
    const { report } = lastRun(cwd);
    expect(report.status).toBe('completed');
    expect(report.gates['write_module/tests-pass']).toMatchObject({ checks: 2, passed: 1, failed: 1 });
    expect(readFileSync(path.join(cwd, 'replayed', 'slug.py'), 'utf8')).toBe(REVISED);
    expect(readFileSync(path.join(cwd, 'replayed', 'tests', 'test_slug.py'), 'utf8')).toBe(TESTS);
  });
});
