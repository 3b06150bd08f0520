import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { answerMisfits } from '../../src/runtime/script-fit.js';
import { validateSopFile } from '../../src/spec/index.js';
import { loadTestFile } from '../../src/testing/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Test files shipped beside SOPs: `X.test.yaml`, or `tests/*.yaml`, under sops/ and examples/. */
function shippedTestFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.test.yaml') || (path.posix.basename(dir) === 'tests' && entry.name.endsWith('.yaml'))) found.push(relative);
    }
  };
  for (const dir of ['sops', 'examples']) walk(dir);
  return found.sort();
}

/** examples/NAME/scripts/*.yaml: scripts an example ships for `sop run --model script:FILE`. */
function shippedScripts(): string[] {
  return readdirSync(path.join(root, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, 'examples', entry.name, 'scripts')))
    .flatMap((entry) => readdirSync(path.join(root, 'examples', entry.name, 'scripts')).map((name) => `examples/${entry.name}/scripts/${name}`))
    .sort();
}

describe('test files shipped with the SOPs (no model, no run)', () => {
  const files = shippedTestFiles();

  it.each(files)('%s is valid, and every answer its cases script can serve a call of its SOP', async (file) => {
    const testFile = loadTestFile(file, root);
    const sop = (await validateSopFile(testFile.sop, { cwd: root })).sop;
    expect(sop, `${testFile.sop} does not load`).toBeDefined();
    if (!sop) return;
    // A renamed role, action or gate would leave an answer unused and the case on the offline model.
    const unfit = testFile.cases.flatMap((entry) => answerMisfits(entry.script, sop).map(({ index, field, why }) => `${entry.name}: answer ${index + 1}, ${field}: ${why}`));
    expect(unfit).toEqual([]);
  });

  it.each(shippedScripts())('%s is used by a case of its example\'s test file', (script) => {
    const example = script.split('/').slice(0, 2).join('/');
    const used = files
      .filter((file) => file.startsWith(`${example}/`))
      .flatMap((file) => {
        const data = parse(readFileSync(path.join(root, file), 'utf8')) as { cases: Array<{ script?: string }> };
        return data.cases.flatMap((entry) => (entry.script === undefined ? [] : [path.posix.join(path.posix.dirname(file), entry.script)]));
      });
    expect(used).toContain(script);
  });
});
