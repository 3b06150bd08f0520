import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from '../cli/run-cli.js';
import { filesUnder } from './providers-helpers.js';

afterAll(removeTempDirs);

/**
 * An MCP server that cannot start, given a secret through `env: { NOTES_TOKEN: ${env:NOTES_TOKEN} }`:
 * its hint showed `***` where the user needed to read the command (`--store /srv/***\/2024`: the
 * secret's value happened to be part of the path), and never said which variable the server was
 * given. Now only the value is masked: the command, its folder and the variable's name are shown.
 */
const SECRET = 'notes-archive';

function sopWith(command: string[]): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: notes, version: 1.0.0, requires: ">=0.2 <1" }
mcp_servers:
  notes:
    command: ${JSON.stringify(command)}
    env: { NOTES_TOKEN: "\${env:NOTES_TOKEN}" }
messages:
  Question: { description: q }
  Answer: { description: a }
start:
  - { type: Question, content: "{{ inputs.idea }}" }
roles:
  support:
    profile: Support
    goal: Answer
    watch: [Question]
    actions:
      - id: answer
        prompt: "{{ message.content }}"
        output: { type: Answer }
        tools: [notes.*]
stop_when: { type: Answer }
`;
}

async function runIn(command: string[]): Promise<{ cwd: string; result: Awaited<ReturnType<typeof sop>> }> {
  const cwd = tempDir('sop-mcp-names-');
  writeFileSync(path.join(cwd, 'sop.yaml'), sopWith(command));
  const result = await sop(['run', 'sop.yaml', 'How do we deploy?', '--ci'], { cwd, env: { NOTES_TOKEN: SECRET, HOME: cwd } });
  return { cwd, result };
}

describe('an MCP server that fails to start, given a secret from ${env:NAME}', () => {
  it('a command that does not exist: the hint names the command whole, its folder and the variable, never the value elsewhere', async () => {
    const { cwd, result } = await runIn(['no-such-notes-server', '--store', `/srv/${SECRET}/2024`]);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error MCP_SERVER_FAILED: sop.yaml:5:3: MCP server "notes": cannot connect: cannot start `no-such-notes-server`: command not found\n');
    expect(result.stderr).toContain(`  hint: is \`no-such-notes-server\` installed and on PATH? \`no-such-notes-server --store /srv/${SECRET}/2024\` is started from ${cwd} without a shell (no aliases or shell functions); an npm package runs as \`command: [npx, -y, PACKAGE]\`; it was given \`env.NOTES_TOKEN\` from \${env:NOTES_TOKEN} (values masked)\n`);
    // The value is shown only inside the command that holds it, in the output and in every file of the run.
    const command = `no-such-notes-server --store /srv/${SECRET}/2024`;
    expect(result.stderr.split(command).join('')).not.toContain(SECRET);
    const written = filesUnder(path.join(cwd, '.sop'));
    const leaking = Object.entries(written).filter(([, text]) => text.replaceAll(command, '').replaceAll(`/srv/${SECRET}/2024`, '').includes(SECRET)).map(([file]) => file);
    expect(leaking).toEqual([]);
  });

  it('a server that stops saying the value: the value is masked in what it said, the command and the variable are named', async () => {
    const script = 'console.error("Error: token " + process.env.NOTES_TOKEN + " refused"); process.exit(1)';
    const { cwd, result } = await runIn(['node', '-e', script]);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain(`MCP server "notes": cannot connect: \`node -e ${script}\` stopped: Error: token *** refused\n`);
    expect(result.stderr).toContain(`  hint: run \`node -e ${script}\` in ${cwd} to see its whole output: it must start and speak MCP on stdin/stdout; it was given \`env.NOTES_TOKEN\` from \${env:NOTES_TOKEN} (values masked)\n`);
    expect(result.stderr).not.toContain(SECRET);
    expect(Object.entries(filesUnder(path.join(cwd, '.sop'))).filter(([, text]) => text.includes(SECRET)).map(([file]) => file)).toEqual([]);
  });

  it('a server that stops saying the value where its line is cut to be quoted (300 characters): the value is masked whole, no part of it shown', async () => {
    // `Error: token ` and 278 x: the cut at 300 characters falls 9 characters into the value.
    const script = 'console.error("Error: token " + "x".repeat(278) + process.env.NOTES_TOKEN + " refused"); process.exit(1)';
    const { cwd, result } = await runIn(['node', '-e', script]);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toContain(`stopped: Error: token ${'x'.repeat(278)}***`);
    expect(result.stderr).not.toContain(SECRET.slice(0, 9));
    expect(Object.entries(filesUnder(path.join(cwd, '.sop'))).filter(([, text]) => text.includes(SECRET.slice(0, 9))).map(([file]) => file)).toEqual([]);
  });
});
