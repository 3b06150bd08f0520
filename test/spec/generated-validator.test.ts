import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from './helpers.js';

test('src/spec/sop-schema.validator.generated.ts matches schemas/sop.v1.schema.json', () => {
  const child = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-validator.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
});
