import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from './helpers.js';

test('the generated validators (src/spec/*.validator.generated.ts, src/testing/test-file.validator.generated.ts) match schemas/sop.v1.schema.json, schemas/sop-test.v1.schema.json and ajv\'s meta-schemas', () => {
  const child = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build-validator.mjs'), '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
});
