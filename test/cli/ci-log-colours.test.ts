import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * What a CI log shows (stdout and stderr are pipes there): no escape sequence and no carriage
 * return (no live status line, no spinner) from any command, unless colours are forced;
 * `FORCE_COLOR=1` colours the help only, `NO_COLOR` turns that off again, and the two together (a CI
 * image forcing colours, a job turning them off) print no Node warning, as docs/ci.md says.
 */

afterAll(removeTempDirs);

const ESCAPE = /\u001b/;
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: ci-log, version: 1.0.0 }
messages:
  Idea: {}
  Draft: {}
start:
  - { type: Idea, content: "{{ inputs.idea }}" }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write_draft
        prompt: "Write about {{ inputs.idea }}."
        output: { type: Draft }
stop_when: { type: Draft }
`;

let cwd: string;

beforeAll(() => {
  cwd = tempDir('sop-ci-log-');
  writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
  writeFileSync(path.join(cwd, 'bad.yaml'), SOP.replace('version: 1.0.0 }', 'version: 1.0.0 }\nsettings: { n_round: four }'));
});

/** Neither colour variable set, as in a plain CI job. */
const plain = { FORCE_COLOR: undefined, NO_COLOR: undefined };

describe('a CI log (output to pipes)', () => {
  it('has no escape sequence and no carriage return, from a run, a refusal, an unknown command or the help', async () => {
    for (const args of [['run', 'sop.yaml', 'tidal power'], ['run', 'bad.yaml', 'x'], ['valdate', 'sop.yaml'], ['--help'], ['run', '--help']]) {
      const result = await sop(args, { cwd, env: { ...plain, CI: undefined } });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(args[1] === 'bad.yaml' ? 3 : args[0] === 'valdate' ? 2 : 0);
      expect(result.stdout + result.stderr, args.join(' ')).not.toMatch(ESCAPE);
      expect(result.stdout + result.stderr, args.join(' ')).not.toContain('\r');
    }
  });

  it('FORCE_COLOR=1 colours the help; a run\'s progress stays plain lines (no status line in a log, even forced)', async () => {
    const help = await sop(['run', '--help'], { cwd, env: { ...plain, FORCE_COLOR: '1' } });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('\u001b[1mUSAGE\u001b[22m');
    const run = await sop(['run', 'sop.yaml', 'tidal power'], { cwd, env: { ...plain, FORCE_COLOR: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^\[round 1\] writer write_draft \.\.\. done/m);
    expect(run.stdout + run.stderr).not.toMatch(ESCAPE);
    expect(run.stderr).not.toContain('\r');
  });

  it('NO_COLOR turns the help\'s colours off, also with FORCE_COLOR set, and then prints no Node warning', async () => {
    for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: '1', FORCE_COLOR: '1' }]) {
      for (const args of [['--help'], ['run', '--help']]) {
        const result = await sop(args, { cwd, env: { ...plain, ...env } });
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain('USAGE');
        expect(result.stdout, JSON.stringify(env)).not.toMatch(ESCAPE);
        expect(result.stderr, JSON.stringify(env)).toBe('');
      }
    }
  });
});
