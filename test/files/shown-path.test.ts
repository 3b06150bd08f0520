import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shownPath } from '../../src/files/index.js';

describe('shownPath: how output names a path', () => {
  const cwd = path.resolve('/srv/project');

  it('is relative inside the current folder, and `.` for the folder itself', () => {
    expect(shownPath(path.join(cwd, 'sops', 'sop.yaml'), cwd)).toBe(path.join('sops', 'sop.yaml'));
    expect(shownPath('sops/sop.lock', cwd)).toBe(path.join('sops', 'sop.lock'));
    expect(shownPath(cwd, cwd)).toBe('.');
  });

  it('is absolute outside it, never a chain of ../', () => {
    expect(shownPath(path.resolve('/srv/other/sop.yaml'), cwd)).toBe(path.resolve('/srv/other/sop.yaml'));
    expect(shownPath(path.resolve('/srv'), cwd)).toBe(path.resolve('/srv'));
  });

  it('keeps a file whose name starts with two dots relative: it is inside', () => {
    expect(shownPath(path.join(cwd, '..drafts', 'sop.yaml'), cwd)).toBe(path.join('..drafts', 'sop.yaml'));
  });

  it('defaults to the process current folder', () => {
    expect(shownPath(path.join(process.cwd(), 'a.txt'))).toBe('a.txt');
  });
});
