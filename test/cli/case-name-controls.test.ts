import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../reporting/junit-schema.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A case name with control characters (an escape sequence, `\r`, `\b`, written in the YAML's
 * double-quoted form) reached the terminal, the `::error` annotations and the JUnit file as it is:
 * it recoloured or cleared the terminal and overwrote the line it was on. Shown quoted with those
 * characters escaped, as a workspace path's refusal names one (the real CLI, offline model).
 */
afterAll(removeTempDirs);

const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F]/;
/** What the YAML below writes, as output shows it. */
const SHOWN_OK = String.raw`"ok \u001b[31mred\u001b[0m \rback \bspace"`;
const SHOWN_BAD = String.raw`"bad \u001b[2Jclear \r\bX"`;

function actions(dir: string): Record<string, string> {
  return { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md') };
}

describe('case names with control characters are shown escaped', () => {
  it('sop test: the case lines, the failure, the annotation and the JUnit file (valid against the schema)', async () => {
    const dir = tempDir('sop-case-names-');
    expect((await sop(['init'], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, 'sop.test.yaml');
    const text = readFileSync(file, 'utf8')
      .replace('name: the reviewer approves the draft', String.raw`name: "ok \e[31mred\e[0m \rback \bspace"`)
      .replace('name: the reviewer lists what to fix', String.raw`name: "bad \e[2Jclear \r\bX"`);
    // The second case fails: its run completes.
    writeFileSync(file, text.replace(/(name: "bad[\s\S]*?status: )completed/, '$1failed'));
    const result = await sop(['test', '--junit', 'results.xml'], { cwd: dir, env: actions(dir) });
    expect(result.code, result.stderr).toBe(16);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(`  ✓ ${SHOWN_OK} (`);
    expect(result.stdout).toContain(`  ✗ ${SHOWN_BAD} (`);
    expect(result.stdout).toContain(`FAIL sop.test.yaml > ${SHOWN_BAD}  (sop.test.yaml:`);
    expect(result.stderr).toMatch(new RegExp(`^::error file=sop\\.test\\.yaml,line=\\d+,col=5,title=sop test%3A ${escapeRegExp(SHOWN_BAD)} failed::`, 'm'));
    expect(result.stdout + result.stderr).not.toMatch(CONTROLS);
    const xml = readFileSync(path.join(dir, 'results.xml'), 'utf8');
    expect(xml).toContain(`name="${SHOWN_BAD.replaceAll('"', '&quot;')}"`);
    expect(xml).not.toMatch(/&#13;|\uFFFD/);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain(`| ${SHOWN_BAD} |`);
  });

  it('a refusal quoting the case (a missing input) escapes it too', async () => {
    const dir = tempDir('sop-case-names-refused-');
    expect((await sop(['init'], { cwd: dir })).code).toBe(0);
    const file = path.join(dir, 'sop.test.yaml');
    // Without the defaults' inputs, each case misses `idea`.
    writeFileSync(file, readFileSync(file, 'utf8').replace('  inputs: { idea: tidal power }\n', '').replace('name: the reviewer lists what to fix', String.raw`name: "bad \e[2Jclear \r\bX"`));
    const result = await sop(['test'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(`error INPUT_MISSING: case ${SHOWN_BAD} does not give the required input \`idea\``);
    expect(result.stdout + result.stderr).not.toMatch(CONTROLS);
  });

  it('sop eval: the progress line, the table, the failure, the annotation and the JUnit file', async () => {
    const dir = tempDir('sop-case-names-eval-');
    const sopFile = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
    writeFileSync(path.join(dir, 'cases.yaml'), [
      'apiVersion: sop-eval/v1',
      'cases:',
      String.raw`  - name: "bad \e[2Jclear \r\bX"`,
      '    inputs: { idea: autumn }',
      '    expect:',
      '      artifacts:',
      '        - { path: answer.md, contains: "never written" }',
      '',
    ].join('\n'));
    const result = await sop(['eval', sopFile, '--dataset', 'cases.yaml', '--junit', 'results.xml'], { cwd: dir, env: actions(dir) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(`[1/1] ${SHOWN_BAD} on offline: FAILED (1 check)`);
    expect(result.stdout).toMatch(new RegExp(`^${escapeRegExp(SHOWN_BAD)} +`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^${escapeRegExp(SHOWN_BAD)} on offline \\(run \\S+, completed\\):$`, 'm'));
    expect(result.stderr).toContain(`title=sop eval%3A ${SHOWN_BAD} failed::`);
    expect(result.stdout + result.stderr).not.toMatch(CONTROLS);
    const xml = readFileSync(path.join(dir, 'results.xml'), 'utf8');
    expect(xml).toContain(`name="${SHOWN_BAD.replaceAll('"', '&quot;')}"`);
    expect(await junitSchemaErrors(xml)).toEqual([]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
