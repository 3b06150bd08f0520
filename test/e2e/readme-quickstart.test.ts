import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, tempDir } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { readRunEvents } from '../../src/store/index.js';

/**
 * The README's first command, run as a user runs it (after `npm ci`): the software-company SOP on
 * the offline model, from a fresh folder. If the README changes its command, this test follows it.
 */
function readmeMainCommand(): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const line = readme.split('\n').find((text) => text.startsWith('npm ci && npx sop run '));
  if (!line) throw new Error('README has no `npm ci && npx sop run ...` line');
  const args = line.slice('npm ci && npx sop '.length).match(/"[^"]*"|\S+/g) ?? [];
  return args.map((arg) => arg.replace(/^"|"$/g, ''));
}

afterAll(removeTempDirs);

describe('README quick start', () => {
  it('runs the software company to completion offline: docs, code, tests, and QA really ran them', async () => {
    const [command, sopFile, ...rest] = readmeMainCommand();
    expect(command).toBe('run');
    const cwd = tempDir('sop-readme-');
    const result = await sop([command as string, path.join(repoRoot, sopFile as string), ...rest, '--json'], { cwd });
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(0);
    const report = resultOf(result) as { status: string; offline: boolean; artifacts: Array<{ path: string }> };
    expect(report.status).toBe('completed');
    expect(report.offline).toBe(true);
    const workspace = path.join(cwd, 'workspace', 'software-company');
    for (const doc of ['docs/prd.md', 'docs/system_design.md', 'docs/tasks.md']) expect(existsSync(path.join(workspace, doc))).toBe(true);
    const paths = report.artifacts.map((artifact) => artifact.path);
    expect(paths.some((p) => /^tests\/test_.*\.py$/.test(p))).toBe(true);
    expect(paths.some((p) => p.endsWith('.py') && !p.startsWith('tests/'))).toBe(true);
    // QA's command action ran the generated tests: the event log holds the real unittest output.
    const runsDir = path.join(cwd, '.sop', 'runs');
    const [runId] = readdirSync(runsDir);
    const events = JSON.stringify(readRunEvents(path.join(runsDir, runId as string)));
    expect(events).toMatch(/"type":"command-end"/);
    expect(events).toMatch(/Ran \d+ tests?/);
  });
});
