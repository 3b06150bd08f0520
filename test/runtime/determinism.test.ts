import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFixture, tempFolder } from './helpers/run-fixture.js';
import { readRunEvents } from '../../src/store/index.js';

/** Every file under a folder, relative path -> bytes. */
function snapshot(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(folder, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(folder);
  return files;
}

const VARYING = new Set(['time', 'runId', 'durationMs', 'duration_ms', 'workspace']);

/** The event log with times, run ids, durations and the (per-run temp) workspace path set aside. */
function comparableEvents(runDir: string): unknown[] {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([key]) => !VARYING.has(key)).map(([key, entry]) => [key, strip(entry)]));
    }
    return value;
  };
  return readRunEvents(runDir).map((event) => strip(event));
}

describe('determinism with the offline model', () => {
  it.each([['pipeline.yaml'], ['foreach.yaml'], ['react.yaml'], ['plan.yaml']])('%s: two runs give byte-identical artifacts and identical event logs', async (fixture) => {
    const first = await runFixture(fixture, { cwd: tempFolder() });
    const second = await runFixture(fixture, { cwd: tempFolder() });
    expect(first.result.status).toBe('completed');
    expect(first.result.report.offline).toBe(true);
    expect(first.result.runId).not.toBe(second.result.runId);
    const artifacts = snapshot(first.result.workspace);
    expect(Object.keys(artifacts).length).toBeGreaterThan(0);
    expect(snapshot(second.result.workspace)).toEqual(artifacts);
    expect(comparableEvents(second.result.runDir)).toEqual(comparableEvents(first.result.runDir));
    expect(second.result.report.artifacts).toEqual(first.result.report.artifacts);
  });
});
