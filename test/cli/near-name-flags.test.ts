import { describe, expect, it } from 'vitest';
import { repoRoot, sop, STACK_LINE, type CliResult } from './run-cli.js';

/**
 * A name typed into a flag that selects part of the work (`sop prompts --role`, `--action`, `sop test
 * --filter`) and matching nothing is refused (exit 2), with the nearest name the SOP or its test
 * cases have, as every other unknown name is hinted (the real CLI, on the support-desk example).
 */
const DESK = 'examples/support-desk/sop.yaml';

function refused(result: CliResult): string {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return result.stderr;
}

describe('a misspelt name in a selecting flag is hinted the nearest one', () => {
  it('sop prompts --role triagr: did you mean `triager`, then the roles', async () => {
    const stderr = refused(await sop(['prompts', DESK, 'I was charged twice', '--role', 'triagr'], { cwd: repoRoot }));
    expect(stderr).toContain('error USAGE: --role triagr: the SOP has no such role\n  hint: did you mean `triager`? (roles: billing_specialist, ');
  });

  it('sop prompts --action clasify: did you mean `classify`', async () => {
    const stderr = refused(await sop(['prompts', DESK, 'I was charged twice', '--role', 'triager', '--action', 'clasify'], { cwd: repoRoot }));
    expect(stderr).toContain('error USAGE: --action clasify: role triager has no such action\n  hint: did you mean `classify`? (actions: classify)');
  });

  it('a name near none keeps the list alone', async () => {
    const stderr = refused(await sop(['prompts', DESK, 'I was charged twice', '--role', 'qa'], { cwd: repoRoot }));
    expect(stderr).toMatch(/hint: roles: billing_specialist, .*triager/);
    expect(stderr).not.toContain('did you mean');
  });

  it('sop test --filter aproves: did you mean `--filter approves`, the words of a case name it is nearest', async () => {
    const stderr = refused(await sop(['test', 'examples/support-desk', '--filter', 'aproves'], { cwd: repoRoot }));
    expect(stderr).toContain('error USAGE: --filter "aproves" matches no case of examples/support-desk/sop.test.yaml (8 cases)');
    expect(stderr).toContain('hint: did you mean `--filter approves`? (the filter is plain text (case-sensitive) found in a case name or a test file path)');
    // Several words are matched against as many words of a name.
    const words = refused(await sop(['test', 'examples/support-desk', '--filter', 'person rejets'], { cwd: repoRoot }));
    expect(words).toContain("hint: did you mean `--filter 'person rejects'`?");
  });
});
