import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE } from './run-cli.js';

/**
 * `sop graph FILE --format png` is refused (the drawing is text), and the hint only said "see
 * `sop graph --help`": a newcomer who wanted a picture of the team was left to find the renderers.
 */
afterAll(removeTempDirs);

describe('sop graph --format with an image format', () => {
  it('png: usage error (exit 2) whose hint gives the mermaid-cli and Graphviz commands for this file', async () => {
    const result = await sop(['graph', 'sops/software-company.yaml', '--format', 'png'], { cwd: repoRoot });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error USAGE: --format: expected one of mermaid, dot, got `png`');
    expect(result.stderr).toContain('hint: the drawing is text (mermaid or dot), not an image: to get team.png, run `');
    expect(result.stderr).toContain(' graph sops/software-company.yaml > team.mmd` then `npx -y @mermaid-js/mermaid-cli -i team.mmd -o team.png`');
    expect(result.stderr).toContain(' graph sops/software-company.yaml --format dot | dot -Tpng -o team.png`');
  });

  it('--format=svg before the file: the commands write team.svg, and --json carries the same hint', async () => {
    const result = await sop(['graph', '--format=svg', 'sops/software-company.yaml', '--json'], { cwd: repoRoot });
    expect(result.code).toBe(2);
    const envelope = JSON.parse(result.stdout) as { error: { code: string; hint: string } };
    expect(envelope.error.code).toBe('USAGE');
    expect(envelope.error.hint).toContain('-i team.mmd -o team.svg`');
    expect(envelope.error.hint).toContain(' graph sops/software-company.yaml --format dot | dot -Tsvg -o team.svg`');
  });

  it('a value that is no image format keeps the plain hint', async () => {
    const result = await sop(['graph', 'sops/software-company.yaml', '--format', 'json'], { cwd: repoRoot });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('not an image');
  });
});
