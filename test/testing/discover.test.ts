import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverTestFiles, loadTestFile } from '../../src/testing/index.js';

/** Which test files `sop test PATH...` finds, and which SOP each tests. */
const root = mkdtempSync(path.join(os.tmpdir(), 'sop-discover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TEST = 'apiVersion: sop-test/v1\ncases:\n  - name: one\n';
function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}
write('desk.yaml', 'apiVersion: sop/v1\n');
write('desk.test.yaml', TEST);
write('debate/sop.yaml', 'apiVersion: sop/v1\n');
write('debate/tests/verdict.yaml', TEST);
write('debate/tests/fixture-data.yaml', 'just: data\n');
write('node_modules/pkg/other.test.yaml', TEST);
write('workspace/copy.test.yaml', TEST);
write('.sop/runs/x.test.yaml', TEST);

const found = (...paths: string[]): string[] => discoverTestFiles(paths, root).map((file) => path.relative(root, file));

describe('discoverTestFiles', () => {
  it('a folder: every *.test.yaml and the sop-test files of tests/ folders, skipping node_modules, workspace and .sop', () => {
    expect(found()).toEqual([path.join('debate', 'tests', 'verdict.yaml'), 'desk.test.yaml']);
  });

  it('an SOP: its X.test.yaml, or the tests/ folder beside a sop.yaml; a test file: itself', () => {
    expect(found('desk.yaml')).toEqual(['desk.test.yaml']);
    expect(found(path.join('debate', 'sop.yaml'))).toEqual([path.join('debate', 'tests', 'verdict.yaml')]);
    expect(found('desk.test.yaml', 'desk.yaml')).toEqual(['desk.test.yaml']);
  });

  it('nothing to run is a usage error that says where tests go', () => {
    write('lonely.yaml', 'apiVersion: sop/v1\n');
    expect(() => found('lonely.yaml')).toThrowError(expect.objectContaining({ code: 'FILE_NOT_FOUND', message: 'no test files for lonely.yaml' }));
    expect(() => found('missing.yaml')).toThrowError(expect.objectContaining({ code: 'FILE_NOT_FOUND', message: 'missing.yaml does not exist' }));
  });

  it('a file in tests/ tests the parent folder\'s sop.yaml; X.test.yaml tests X.yaml', () => {
    expect(loadTestFile(path.join('debate', 'tests', 'verdict.yaml'), root).sop).toBe(path.join(root, 'debate', 'sop.yaml'));
    expect(loadTestFile('desk.test.yaml', root).sop).toBe(path.join(root, 'desk.yaml'));
  });
});
