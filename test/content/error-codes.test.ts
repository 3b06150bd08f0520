import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/errors/codes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const design = readFileSync(path.join(root, 'docs', 'design.md'), 'utf8');

/** The rows of docs/design.md's table of codes: exit code -> the codes it lists. */
function documentedCodes(): Map<number, string[]> {
  const table = /\n\| exit \| codes \|\n\| --- \| --- \|\n((?:\|.*\|\n)+)/.exec(design)?.[1] ?? '';
  return new Map(table.trim().split('\n').map((row) => {
    const [exit, codes] = row.split('|').slice(1, 3).map((cell) => cell.trim()) as [string, string];
    return [Number.parseInt(exit, 10), [...codes.matchAll(/`([A-Z_]+)`/g)].map((match) => match[1] as string)];
  }));
}

describe('the list of error codes in docs/design.md', () => {
  // 13 codes a user can get (YAML_EMPTY, DUPLICATE_ID, INPUT_UNDECLARED, ...) were named in no document.
  it('lists every code the code base can raise, each under its exit code, and no other', () => {
    const expected = new Map<number, string[]>();
    for (const [code, exit] of Object.entries(CODES)) expected.set(exit, [...(expected.get(exit) ?? []), code]);
    const documented = documentedCodes();
    expect([...documented.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (const [exit, codes] of expected) expect([exit, [...(documented.get(exit) ?? [])].sort()]).toEqual([exit, [...codes].sort()]);
  });
});
