import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, STACK_LINE } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';
import { IDEA, SOFTWARE_COMPANY, artifacts, lastRun, project, run } from './providers-helpers.js';

/**
 * `--record FILE` with the offline and the scripted model, then `--replay FILE`: the cassette
 * holds every call (provider `offline` or `script`) and replays the same run, answering from the
 * cassette only (a changed script or input shows it).
 */
afterAll(removeTempDirs);

/** The exchanges of a cassette (its lines after the header). */
function exchanges(cwd: string, file: string): Array<{ provider: string; label?: string }> {
  return readFileSync(path.join(cwd, file), 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line));
}

/** The judge rejects the first PRD and passes the revision. */
const JUDGE_REJECTS_PRD = path.join(repoRoot, 'test', 'fixtures', 'script', 'judge-rejects-prd.yaml');

describe.concurrent('record and replay without a provider', () => {
  it('an offline run records every call and its replay writes the same artifacts; another idea misses the cassette', async () => {
    const cwd = project();
    const recorded = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--record', 'offline.cassette', '--workspace', 'recorded', '--json'], {});
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stderr).not.toContain('has no effect');
    const calls = resultOf<any>(recorded).usage.total.calls as number;
    const recordedExchanges = exchanges(cwd, 'offline.cassette');
    expect(recordedExchanges).toHaveLength(calls);
    expect(new Set(recordedExchanges.map((exchange) => exchange.provider))).toEqual(new Set(['offline']));

    const replayed = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--replay', 'offline.cassette', '--workspace', 'replayed', '--json'], {});
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(resultOf<any>(replayed).usage.total).toMatchObject({ calls, cachedCalls: calls });
    const files = artifacts(path.join(cwd, 'replayed'));
    expect(Object.keys(files).length).toBeGreaterThan(4);
    expect(files).toEqual(artifacts(path.join(cwd, 'recorded')));

    const other = await run(cwd, ['run', SOFTWARE_COMPANY, 'a calculator', '--replay', 'offline.cassette', '--workspace', 'other'], {});
    expect(other.code).toBe(10);
    expect(other.stderr).toMatch(/error REPLAY_MISS: replay miss for role "product_manager", action "write_prd"/);
    expect(other.stderr).not.toMatch(STACK_LINE);
  });

  it('a recording run stopped by its round limit and resumed keeps adding to its cassette, which replays the whole run', async () => {
    const cwd = project();
    const stopped = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--record', 'resumed.cassette', '--workspace', 'recorded', '--n-round', '2'], {});
    expect(stopped.code, stopped.stderr).toBe(5);
    const before = exchanges(cwd, 'resumed.cassette').length;
    expect(before).toBeGreaterThan(0);
    const runId = path.basename(lastRun(cwd).dir);
    const resumed = await run(cwd, ['resume', runId, '--n-round', '20', '--json'], {});
    expect(resumed.code, resumed.stderr).toBe(0);
    const calls = resultOf<any>(resumed).usage.total.calls as number;
    expect(exchanges(cwd, 'resumed.cassette')).toHaveLength(calls);
    expect(calls).toBeGreaterThan(before);

    const replayed = await run(cwd, ['run', SOFTWARE_COMPANY, IDEA, '--replay', 'resumed.cassette', '--workspace', 'replayed'], {});
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(artifacts(path.join(cwd, 'replayed'))).toEqual(artifacts(path.join(cwd, 'recorded')));
  });

  it('a scripted run (a judge rejects the PRD) records every call; its replay takes the same branch though the script changed', async () => {
    const cwd = project();
    copyFileSync(JUDGE_REJECTS_PRD, path.join(cwd, 'answers.yaml'));
    const args = ['run', SOFTWARE_COMPANY, IDEA, '--model', 'script:answers.yaml'];
    const recorded = await run(cwd, [...args, '--record', 'script.cassette', '--workspace', 'recorded', '--json'], {});
    expect(recorded.code, recorded.stderr).toBe(0);
    const report = resultOf<any>(recorded);
    // The PRD, its rejection, the revision and its pass.
    expect(report.usage.byAction.write_prd.calls).toBe(4);
    const recordedExchanges = exchanges(cwd, 'script.cassette');
    expect(recordedExchanges).toHaveLength(report.usage.total.calls);
    expect(new Set(recordedExchanges.map((exchange) => exchange.provider))).toEqual(new Set(['script']));

    // The script now passes every PRD at once: only the cassette can still take the revise path.
    writeFileSync(path.join(cwd, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: product_manager, action: write_prd, judge: { score: 9 } }\n');
    const replayed = await run(cwd, [...args, '--replay', 'script.cassette', '--workspace', 'replayed', '--json'], {});
    expect(replayed.code, replayed.stderr).toBe(0);
    const replayedReport = resultOf<any>(replayed);
    expect(replayedReport.usage.byAction.write_prd.calls).toBe(4);
    expect(replayedReport.usage.total).toMatchObject({ calls: report.usage.total.calls, cachedCalls: report.usage.total.calls });
    expect(replayedReport.gates['write_prd/prd-is-testable']).toMatchObject({ checks: 2, passed: 1 });
    expect(artifacts(path.join(cwd, 'replayed'))).toEqual(artifacts(path.join(cwd, 'recorded')));
  });
});
