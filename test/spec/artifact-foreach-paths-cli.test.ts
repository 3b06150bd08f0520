import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE } from '../cli/run-cli.js';

afterAll(removeTempDirs);

/** Three artifacts with `foreach`: a fixed path, a path per item, a fixed path in `mode: append`. */
const FIXTURE = 'test/fixtures/validate/artifact-foreach-constant-path.yaml';

describe('sop validate on an artifact whose `foreach` writes every item to one path', () => {
  it('warns at the path, once, and not about a per-item path or an append', async () => {
    const result = await sop(['validate', FIXTURE]);
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_LINE);
    expect(result.stdout).toContain(
      [
        `${FIXTURE}:23:21: warning ARTIFACT_PATH_CONSTANT: artifact \`notes/section.md\` has \`foreach\` but its path is the same for every item: each item overwrites the one before, only the last is kept`,
        '  expected: a path that reads `item` (or `index`), e.g. `notes/{{ item.slug }}.md`',
        '  hint: name each file after its item, or add `mode: append` to gather every item in this one file',
      ].join('\n'),
    );
    expect(result.stdout.match(/ARTIFACT_PATH_CONSTANT/g)).toHaveLength(1);
    expect(result.stdout).toContain('1 file: 1 valid, 0 invalid, 0 errors, 1 warning');
  });
});
