import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';
import { envelopeOf } from '../support/cli-envelope.js';

afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: dep-review, version: 0.1.0, requires: ">=0.2" }
messages:
  Request: { description: what to review }
  Notes: { description: the review }
start: [{ type: Request, content: "{{ inputs.idea }}" }]
mcp_servers:
  files:
    command: [node, "\${env:FILES_SERVER}"]
    env: { GITHUB_TOKEN: "\${env:DEP_REVIEW_TOKEN}" }
roles:
  analyst:
    profile: Analyst
    watch: [Request]
    actions:
      - { id: review, prompt: "Review {{ message.content }}", tools: [files.read_file], output: { type: Notes } }
stop_when: { type: Notes }
`;

/**
 * An SOP's unset `${env:NAME}` (an MCP server's `command`, `env`, ...) named the field and the file
 * but no line: `--json` had no `file`/`line`/`column` and a CI annotation pointed nowhere, where a
 * configuration file's unset variable is located at its line.
 */
describe('an unset ${env:NAME} of the SOP', () => {
  it('is said at the line and column that names it: on stderr with its code frame, in --json and as a GitHub annotation (exit 11, no run)', async () => {
    const cwd = tempDir('sop-env-located-');
    writeFileSync(path.join(cwd, 'sop.yaml'), SOP);
    const env = { FILES_SERVER: '/opt/files.js', DEP_REVIEW_TOKEN: undefined };
    const human = await sop(['run', 'sop.yaml', 'package.json'], { cwd, env });
    expect(human.code).toBe(11);
    expect(human.stderr).toContain(
      'sop.yaml:11:26: error CONFIG_ENV_MISSING: environment variable DEP_REVIEW_TOKEN is not set (used by `mcp_servers.files.env.GITHUB_TOKEN`)\n' +
        '  hint: export DEP_REVIEW_TOKEN=..., or change `mcp_servers.files.env.GITHUB_TOKEN` in sop.yaml\n',
    );
    expect(human.stderr).toMatch(/> 11 \|\s+env: \{ GITHUB_TOKEN: "\$\{env:DEP_REVIEW_TOKEN\}" \}/);
    expect(human.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(cwd, '.sop', 'runs'))).toBe(false);

    const json = await sop(['run', 'sop.yaml', 'package.json', '--json'], { cwd, env });
    expect(json.code).toBe(11);
    expect(envelopeOf(json).error).toMatchObject({ code: 'CONFIG_ENV_MISSING', exitCode: 11, file: 'sop.yaml', line: 11, column: 26 });

    // A `command` part too; in GitHub Actions the annotation is at that line.
    const annotated = await sop(['run', 'sop.yaml', 'package.json', '--ci'], { cwd, env: { FILES_SERVER: undefined, DEP_REVIEW_TOKEN: 'set', GITHUB_ACTIONS: 'true' } });
    expect(annotated.code).toBe(11);
    expect(annotated.stdout + annotated.stderr).toMatch(/::error file=sop\.yaml,line=10,col=21,title=CONFIG_ENV_MISSING::environment variable FILES_SERVER is not set \(used by `mcp_servers\.files\.command\[1\]`\)/);
  });
});
