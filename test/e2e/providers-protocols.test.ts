import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, STACK_LINE } from '../cli/run-cli.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-llm/anthropic-server.js';
import { startFakeOllama, type FakeOllama } from '../support/fake-llm/ollama-server.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-llm/openai-server.js';
import { IDEA, SOFTWARE_COMPANY, TEST_KEY, expectNoSecret, lastRun, project, run, workspaceOf } from './providers-helpers.js';
import { resultOf } from '../support/cli-envelope.js';

/**
 * The software-company SOP end to end on each wire protocol, through `bin/sop.js` and the real
 * SDKs, against loopback servers that answer like the offline model.
 */
let openai: FakeOpenAI;
let ollama: FakeOllama;
let anthropic: FakeAnthropic;

beforeAll(async () => {
  [openai, ollama, anthropic] = await Promise.all([startFakeOpenAI(), startFakeOllama(), startFakeAnthropic()]);
});

afterAll(async () => {
  await Promise.all([openai?.close(), ollama?.close(), anthropic?.close()]);
  removeTempDirs();
});

const protocols = [
  {
    name: 'OpenAI-compatible',
    model: 'openai:gpt-4o-mini',
    env: () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: openai.url }),
    url: () => openai.url,
    requests: () => openai.requests.filter((request) => request.path === '/v1/chat/completions').length,
    priced: true,
  },
  {
    name: 'Ollama',
    model: 'ollama:llama3.2',
    env: () => ({ OLLAMA_HOST: ollama.url }),
    url: () => ollama.url,
    requests: () => ollama.requests.length,
    priced: false,
  },
  {
    name: 'Anthropic',
    model: 'anthropic:claude-sonnet-4-5',
    env: () => ({ ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: anthropic.url }),
    url: () => anthropic.url,
    requests: () => anthropic.requests.length,
    priced: true,
  },
] as const;

describe.concurrent('sop run on real provider protocols', () => {
  for (const protocol of protocols) {
    it(`${protocol.name}: docs, code and tests written, QA's tests pass, cost and models reported, no key anywhere`, async () => {
      const cwd = project();
      const before = protocol.requests();
      const result = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--model', protocol.model, '--json'], protocol.env());
      expect(result.stderr).not.toMatch(STACK_LINE);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(`model: ${protocol.model} via ${protocol.url()}`);
      expect(result.stderr).not.toContain('offline');

      const report = resultOf(result);
      expect(report).toMatchObject({ status: 'completed', exitCode: 0, offline: false, model: protocol.model, models: { [protocol.model]: report.usage.total.calls } });
      expect(protocol.requests() - before).toBe(report.usage.total.calls);
      expect(report.usage.total).toMatchObject({ cachedCalls: 0, retries: 0, reasks: 0, costUnknown: false });
      if (protocol.priced) expect(report.costUsd).toBeGreaterThan(0);
      else expect(report.costUsd).toBe(0);
      // Cost per role and per action adds up to the total.
      const sum = (counts: Record<string, { costUsd: number }>): number => Object.values(counts).reduce((total, count) => total + count.costUsd, 0);
      expect(sum(report.usage.byRole)).toBeCloseTo(report.costUsd, 9);
      expect(sum(report.usage.byAction)).toBeCloseTo(report.costUsd, 9);

      const workspace = workspaceOf(cwd);
      for (const doc of ['docs/prd.md', 'docs/system_design.md', 'docs/tasks.md']) expect(existsSync(path.join(workspace, doc))).toBe(true);
      const paths: string[] = report.artifacts.map((artifact: { path: string }) => artifact.path);
      expect(paths.some((file) => /^tests\/test_.*\.py$/.test(file))).toBe(true);
      expect(paths.some((file) => file.endsWith('.py') && !file.startsWith('tests/'))).toBe(true);

      const record = lastRun(cwd);
      expect(record.runInfo).toMatchObject({ model: protocol.model, models: [protocol.model] });
      const testRun = record.events.find((event) => event.type === 'command-end');
      expect(testRun).toMatchObject({ action: 'run_tests', passed: true });
      const calls = record.events.filter((event) => event.type === 'llm-call-end');
      expect(calls.length).toBe(report.usage.total.calls);
      for (const call of calls) expect(call.model).toBe(protocol.model);
      if (protocol.priced) for (const call of calls) expect(call.costUsd).toBeGreaterThan(0);

      expect(expectNoSecret(TEST_KEY, cwd, [result])).toBeGreaterThan(10);
    });
  }
});
