import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from './helpers.js';

test('the generated types (src/spec/sop.types.generated.ts, src/providers/script/script.types.generated.ts, src/testing/sop-test.types.generated.ts) match their schemas', () => {
  const child = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/gen-types.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
});
