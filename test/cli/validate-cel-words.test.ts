import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A condition written as Python or JavaScript writes it (`and`, `or`, `not`, `===`) was refused with
 * CEL's parser's "Unexpected character: 'd'" and a general hint: the hint now says the CEL to write.
 */
describe('sop validate: a condition in Python\'s or JavaScript\'s words', () => {
  it.each([
    ['payload.approved and size(payload.issues) == 0', "Unexpected character: 'd'", 'hint: CEL writes `and` as `&&`: e.g. `payload.score >= 7 && !payload.draft`'],
    ['not payload.approved or payload.issues == []', '', 'hint: CEL writes `not` as `!`, `or` as `||`: e.g.'],
    ['payload.approved === true', '', 'hint: CEL writes `===` as `==` (and `!==` as `!=`)'],
    ["payload.summary == 'and or not' &&", '', 'hint: conditions are CEL, e.g.'],
  ])('%s', async (assert, error, hint) => {
    const cwd = tempDir('sop-cel-words-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    const sopFile = path.join(cwd, 'sop.yaml');
    writeFileSync(sopFile, readFileSync(sopFile, 'utf8').replace('          - path: review.json\n', `          - path: review.json\n        gates:\n          - { name: approved, assert: "${assert}" }\n`));
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(3);
    expect(validated.stdout).toContain(`error EXPRESSION_SYNTAX: expression does not parse: ${error}`);
    expect(validated.stdout).toContain(hint);
    expect(validated.stdout).not.toMatch(STACK_LINE);
  });
});
