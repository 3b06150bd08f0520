import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sopWithActions } from '../spec/helpers.js';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

// The SOP: a misspelt variable in a folded (`>-`) scalar and in a double-quoted one with
// escapes. `sop validate` printed 16:44 (past the end of line 16) and 21:9 (the next key).
const SOP = sopWithActions(`      - id: a
        prompt: >-
          Folded text line one
          and then {{ inptus.idea }} here
        output: { type: Doc }
      - id: b
        prompt: "Line one\\n\\tand {{ inptus.x }}"
        output: { type: Doc }
`);

describe('sop validate prints where a template\'s variable is written', () => {
  it('folded and escaped double-quoted scalars: file:line:col at the variable\'s first character', async () => {
    const dir = tempDir('sop-positions-');
    const file = path.join(dir, 'sop.yaml');
    writeFileSync(file, SOP);
    const result = await sop(['validate', 'sop.yaml'], { cwd: dir });
    expect(result.code).toBe(3);
    const located = [...result.stdout.matchAll(/^(sop\.yaml:\d+:\d+): .*inptus/gm)].map((match) => match[1]);
    expect(located).toEqual(['sop.yaml:17:23', 'sop.yaml:20:37']);
  });
});
