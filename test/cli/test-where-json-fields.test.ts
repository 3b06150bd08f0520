import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * An artifact's `where: json.aproved` (a JSON file no schema describes to the test) failed with
 * CEL's "No such key: aproved" alone: the failure now lists the file's fields, with did-you-mean.
 */
describe('sop test: an artifact `where` reading a field the JSON file lacks', () => {
  it('names the file\'s fields and the one meant (exit 16)', async () => {
    const cwd = tempDir('sop-where-json-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'where.test.yaml'), [
      'apiVersion: sop-test/v1',
      'sop: sop.yaml',
      'cases:',
      '  - name: approved',
      '    inputs: { idea: tides }',
      '    answers:',
      '      - { role: reviewer, action: review_draft, output: { approved: true, summary: Clear., issues: [] } }',
      '    expect:',
      '      artifacts:',
      '        - { path: review.json, where: json.aproved }',
      '',
    ].join('\n'));
    const tested = await sop(['test', 'where.test.yaml'], { cwd });
    expect(tested.code, tested.stdout + tested.stderr).toBe(16);
    expect(tested.stdout).toContain("✗ expect.artifacts[0]: review.json: the `where` expression `json.aproved` failed: No such key: aproved; the file's fields: approved, issues, summary (did you mean `approved`?)\n      at where.test.yaml:10:44");
  });
});
