import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { badFixturesDir, removeTempDirs, sop, tempDir, type CliResult } from './run-cli.js';

/**
 * `--log-format json` (and SOP_LOG_FORMAT=json) as a log shipper or a CI step reads it: every line
 * the command prints is one JSON object, the SOP's validation warnings and a refusal included, not
 * only the run's events.
 */
afterAll(removeTempDirs);

/** A project with an SOP that validates with two warnings (MESSAGE_UNWATCHED, ROLE_UNREACHABLE) and runs offline. */
function projectWithWarnings(): string {
  const cwd = tempDir('sop-log-json-');
  copyFileSync(path.join(badFixturesDir, 'unreachable-role.yaml'), path.join(cwd, 'warned.yaml'));
  copyFileSync(path.join(badFixturesDir, 'typo-field.yaml'), path.join(cwd, 'invalid.yaml'));
  return cwd;
}

/** Every line of stdout and stderr, each parsed as JSON (a line that is not fails the test, naming it). */
function jsonLines(result: CliResult): Array<Record<string, unknown>> {
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line !== '');
  return lines.map((line) => {
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON object line: ${line}\n--- the whole output:\n${result.stdout}${result.stderr}`);
    }
  });
}

describe('--log-format json: every line is a JSON object', () => {
  it('sop run: the SOP\'s warnings are JSON lines with their code and place, before the run\'s events', async () => {
    const cwd = projectWithWarnings();
    const result = await sop(['run', 'warned.yaml', 'an idea', '--model', 'offline', '--log-format', 'json'], { cwd, env: { SOP_LOG_FORMAT: undefined, CI: 'true' } });
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result);
    const warnings = lines.filter((line) => line['level'] === 'warn' && line['event'] === 'note');
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'MESSAGE_UNWATCHED', file: 'warned.yaml', line: 16, column: 25, msg: expect.stringMatching(/^warned\.yaml:16:25: warning MESSAGE_UNWATCHED: /), hint: expect.any(String) }),
      expect.objectContaining({ code: 'ROLE_UNREACHABLE', file: 'warned.yaml', line: 17, column: 3, msg: expect.stringContaining('role `editor` never acts') }),
    ]);
    expect(lines.every((line) => typeof line['time'] === 'string' && typeof line['msg'] === 'string' && typeof line['event'] === 'string')).toBe(true);
    expect(lines.findIndex((line) => line['event'] === 'run-start')).toBeGreaterThan(lines.indexOf(warnings[1] as Record<string, unknown>));
    expect(lines.at(-1)).toMatchObject({ event: 'run-end', status: 'completed' });
  });

  it('SOP_LOG_FORMAT=json with --quiet: the warnings and the status are JSON lines, the status naming the run', async () => {
    const cwd = projectWithWarnings();
    const result = await sop(['run', 'warned.yaml', 'an idea', '--model', 'offline', '--quiet'], { cwd, env: { SOP_LOG_FORMAT: 'json', CI: 'true' } });
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result);
    expect(lines.map((line) => [line['level'], line['code'] ?? line['msg']])).toEqual([
      ['warn', 'MESSAGE_UNWATCHED'],
      ['warn', 'ROLE_UNREACHABLE'],
      ['info', 'status: completed (exit 0)'],
    ]);
    // No event line named the run: the status line does, with its outcome as fields.
    expect(lines.at(-1)).toMatchObject({ run_id: expect.stringMatching(/^\d{8}-\d{6}-[0-9a-f]+$/), status: 'completed', exitCode: 0 });
  });

  it('with --quiet, a run that did not complete ends in one error line naming the run, its status and exit code', async () => {
    const cwd = tempDir('sop-log-json-');
    writeFileSync(
      path.join(cwd, 'gated.yaml'),
      [
        'apiVersion: sop/v1',
        'kind: SOP',
        'metadata: { name: gated, version: 0.1.0 }',
        'messages: { Idea: {}, Draft: {} }',
        'start: [{ type: Idea, content: "{{ inputs.idea }}" }]',
        'stop_when: { type: Draft }',
        'roles:',
        '  writer:',
        '    profile: Writer',
        '    watch: [Idea]',
        '    actions:',
        '      - id: write',
        '        prompt: "Write about {{ message.content }}."',
        '        output: { type: Draft }',
        '        gates: [{ name: never, contains: "a word the offline model never writes", on_fail: stop }]',
        '',
      ].join('\n'),
    );
    const result = await sop(['run', 'gated.yaml', 'tides', '--model', 'offline', '--quiet', '--log-format', 'json'], { cwd, env: { SOP_LOG_FORMAT: undefined, CI: 'true' } });
    expect(result.code, result.stderr).toBe(7);
    expect(jsonLines(result).at(-2)).toMatchObject({ level: 'error', event: 'note', status: 'gate_stopped', exitCode: 7, run_id: expect.any(String) });
  });

  it('a refused run (invalid SOP, bad flag value, unknown run to resume) is one JSON error line with its code, place and exit code', async () => {
    const cwd = projectWithWarnings();
    const [invalid, badFlag, noRun] = await Promise.all([
      sop(['run', 'invalid.yaml', 'an idea', '--log-format', 'json'], { cwd, env: { SOP_LOG_FORMAT: undefined } }),
      sop(['run', 'warned.yaml', 'an idea', '--n-round', '0', '--log-format=json'], { cwd, env: { SOP_LOG_FORMAT: undefined } }),
      sop(['resume', 'no-such-run'], { cwd, env: { SOP_LOG_FORMAT: 'json' } }),
    ]);
    expect(invalid.code).toBe(3);
    expect(jsonLines(invalid)).toEqual([
      expect.objectContaining({ level: 'error', event: 'note', code: 'SCHEMA_UNKNOWN_FIELD', exitCode: 3, file: 'invalid.yaml', line: 11, column: 5, hint: 'did you mean `watch`?', msg: 'error SCHEMA_UNKNOWN_FIELD: unknown field `wacth`' }),
    ]);
    expect(badFlag.code).toBe(2);
    expect(jsonLines(badFlag)).toEqual([expect.objectContaining({ level: 'error', code: 'USAGE', exitCode: 2, msg: expect.stringContaining('--n-round') })]);
    expect(noRun.code).toBe(2);
    expect(jsonLines(noRun)).toEqual([expect.objectContaining({ level: 'error', exitCode: 2, msg: expect.stringContaining('no-such-run') })]);
  });

  it('SOP_LOG_FORMAT=json with a --log-format value that is not a format: the flag\'s refusal is one JSON error line (sop run, sop resume)', async () => {
    const cwd = projectWithWarnings();
    const [run, runEquals, resume] = await Promise.all([
      sop(['run', 'warned.yaml', 'an idea', '--log-format', 'bogus'], { cwd, env: { SOP_LOG_FORMAT: 'json' } }),
      sop(['run', 'warned.yaml', 'an idea', '--log-format=bogus'], { cwd, env: { SOP_LOG_FORMAT: 'json' } }),
      sop(['resume', 'no-such-run', '--log-format', 'bogus'], { cwd, env: { SOP_LOG_FORMAT: 'json' } }),
    ]);
    for (const [result, command] of [[run, 'run'], [runEquals, 'run'], [resume, 'resume']] as const) {
      expect(result.code, result.stderr).toBe(2);
      expect(jsonLines(result)).toEqual([
        expect.objectContaining({ level: 'error', event: 'note', code: 'USAGE', exitCode: 2, msg: 'error USAGE: --log-format: expected one of human, json, got `bogus`', hint: `see \`sop ${command} --help\`` }),
      ]);
    }
  });

  it('without SOP_LOG_FORMAT, or with a wrong one too, a --log-format value that is not a format is a human error naming the allowed values', async () => {
    const cwd = projectWithWarnings();
    const [plain, bothWrong] = await Promise.all([
      sop(['run', 'warned.yaml', 'an idea', '--log-format', 'bogus'], { cwd, env: { SOP_LOG_FORMAT: undefined } }),
      sop(['run', 'warned.yaml', 'an idea', '--log-format', 'bogus'], { cwd, env: { SOP_LOG_FORMAT: 'yaml' } }),
    ]);
    for (const result of [plain, bothWrong]) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('error USAGE: --log-format: expected one of human, json, got `bogus`\n  hint: see `sop run --help`\n');
    }
  });
});
