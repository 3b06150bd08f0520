import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * A project's `.env` (in the folder sop runs in) is read, as promptfoo, CrewAI and the LangGraph CLI
 * read one: a key kept there reaches the provider; the environment's own value wins; `sop config`
 * names the file as the source. Before, it was ignored and the run said to set OPENAI_API_KEY.
 */
afterAll(removeTempDirs);

const SOP = path.join(repoRoot, 'test', 'fixtures', 'eval', 'answer.yaml');
const KEY = 'sk-from-dotenv-1234567890abcdef';
/** None of the variables a `.env` here sets comes from the test's own environment. */
const CLEAN = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, SOP_MODEL: undefined, SOP_PROVIDER: undefined, SOP_NO_CACHE: undefined };

function project(envText: string | Buffer): string {
  const dir = tempDir('sop-env-file-');
  const xdg = path.join(dir, 'xdg');
  mkdirSync(xdg);
  writeFileSync(path.join(dir, '.env'), envText);
  writeFileSync(path.join(dir, 'answers.yaml'), 'apiVersion: sop-script/v1\nanswers:\n  - { role: answerer, action: answer, output: "From the script named in .env." }\n');
  return dir;
}

const env = (dir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({ ...CLEAN, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'xdg'), ...extra });

describe('the project .env', () => {
  it('sets what the environment lacks, and sop config names it as the source (the key masked)', async () => {
    const dir = project(`# keys for this project\nOPENAI_API_KEY=${KEY}\nexport SOP_MODEL="script:answers.yaml"\n`);
    const result = await sop(['config', '--json'], { cwd: dir, env: env(dir) });
    expect(result.code, result.stderr).toBe(0);
    const { values } = (envelopeOf(result) as { result: { values: Array<{ key: string; value: string; source: string }> } }).result;
    const envFile = path.join(dir, '.env');
    expect(values).toContainEqual({ key: 'providers.openai.api_key', value: '***', source: `env:OPENAI_API_KEY (${envFile})` });
    expect(values).toContainEqual({ key: 'default_model', value: 'script:answers.yaml', source: `env:SOP_MODEL (${envFile})` });
    expect(result.stderr).toContain(`environment variables from ${envFile}: OPENAI_API_KEY, SOP_MODEL\n`);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('a run takes its model from it, and the environment wins over it', async () => {
    const dir = project('SOP_MODEL=script:answers.yaml\n');
    const fromFile = await sop(['run', SOP, 'a question'], { cwd: dir, env: env(dir) });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stderr).toContain('model: script:answers.yaml');

    const fromEnvironment = await sop(['run', SOP, 'a question'], { cwd: dir, env: env(dir, { SOP_MODEL: 'offline' }) });
    expect(fromEnvironment.code, fromEnvironment.stderr).toBe(0);
    expect(fromEnvironment.stderr).toContain('model: offline');
  });

  it('a .env folder (a Python virtualenv) is no file of variables: left alone', async () => {
    const dir = tempDir('sop-env-folder-');
    mkdirSync(path.join(dir, '.env', 'bin'), { recursive: true });
    const result = await sop(['run', SOP, 'a question'], { cwd: dir, env: env(dir) });
    expect(result.code, result.stderr).toBe(0);
  });

  it('a .env that is not text: one message naming it at the line and column of the first byte that is not, exit 11, no run', async () => {
    const dir = project(Buffer.from([0x42, 0x3d, 0x31, 0x0a, 0x41, 0x3d, 0x00, 0x01]));
    const result = await sop(['run', SOP, 'a question'], { cwd: dir, env: env(dir) });
    expect(result.code, result.stdout + result.stderr).toBe(11);
    expect(result.stderr).toContain(`error CONFIG_INVALID: cannot read ${path.join(dir, '.env')}:2:3: it holds binary data (a NUL byte), not text`);
    expect(result.stderr).toContain('hint: sop reads environment variables from .env in the folder it runs in');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a line dotenv cannot read (a key without its `=`) is named by file:line:col, its value never shown, exit 11, no run', async () => {
    const dir = project(`# keys\nSOP_MODEL=script:answers.yaml\n  OPENAI_API_KEY ${KEY}\n`);
    const result = await sop(['run', SOP, 'a question'], { cwd: dir, env: env(dir) });
    expect(result.code, result.stdout + result.stderr).toBe(11);
    expect(result.stderr).toContain(
      `error CONFIG_INVALID: cannot read ${path.join(dir, '.env')}:3:3: \`OPENAI_API_KEY\` has no \`=\` after it, so dotenv would skip the line (its text is not shown: it may hold a secret)\n`
      + '  hint: write it NAME=value (a value with spaces or `#` in quotes: NAME="a b"), or make it a comment with `#`, or move the file away: sop reads environment variables from .env in the folder it runs in\n',
    );
    expect(result.stdout + result.stderr).not.toContain(KEY);
    expect(result.stderr).not.toMatch(STACK_LINE);

    const other = project('SOP_MODEL=script:answers.yaml\nnot a variable at all\n');
    const config = await sop(['config'], { cwd: other, env: env(other) });
    expect(config.code, config.stderr).toBe(11);
    expect(config.stderr).toContain(`cannot read ${path.join(other, '.env')}:2:1: this line is no NAME=value assignment, so dotenv would skip the line`);
  });

  it('every line dotenv reads passes: comments, `export`, quoted values of several lines, a name alone, CRLF line ends', async () => {
    const dir = project('# keys\r\nexport SOP_MODEL="script:answers.yaml"   # the script\r\nNOTE="first\r\nsecond"\r\nDEBUG\r\n\r\n  # indented comment\r\nEMPTY=\r\n');
    const result = await sop(['config'], { cwd: dir, env: env(dir) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`environment variables from ${path.join(dir, '.env')}: SOP_MODEL, NOTE, EMPTY\n`);
  });
});
