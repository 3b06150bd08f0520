import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The repository stands alone: a clone in any folder, with nothing beside it, runs its tests, scripts
 * and benchmark. A file that names a path outside the repository breaks that (tests once read
 * the fixtures folder beside it and failed in a clone elsewhere), so this test looks for such paths.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED = ['test', 'bench', 'scripts', 'src', 'examples', '.ci'];
const TEXT_FILE = /\.(ts|mts|mjs|cjs|js|sh|json|ya?ml)$|^run$/;
/** Names a file uses for the repository's root folder. */
const ROOT_NAME = /^(root|repoRoot|REPO_ROOT|projectRoot|packageRoot)$/;
/** `path.resolve(` / `path.join(` up to its closing parenthesis (two levels of nesting are enough here). */
const PATH_CALL = /path\.(?:resolve|join)\(((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)/g;
const URL_CALL = /new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const FILE_DIR = /^(__dirname|path\.dirname\(fileURLToPath\(import\.meta\.url\)\))$/;

function scannedFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? scannedFiles(full) : TEXT_FILE.test(name) ? [full] : [];
  });
}

function stringLiteral(arg: string): string | undefined {
  return /^(['"`])([^'"`$]*)\1$/.exec(arg.trim())?.[2];
}

/** Where `file` (at `absolutePath`) names a path outside `root`: one line per finding. */
export function outsideReferences(absolutePath: string, text: string, root: string): string[] {
  const found: string[] = [];
  const fileDir = path.dirname(absolutePath);
  const outside = (target: string) => path.relative(root, target).startsWith('..');
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  for (const match of text.matchAll(/\.\.\/shared\b|['"]\.\.['"],\s*['"]shared['"]|['"`]\/work\//g)) {
    found.push(`line ${lineOf(match.index)}: ${match[0]}`);
  }
  for (const match of text.matchAll(PATH_CALL)) {
    const args = (match[1] as string).split(',').map((arg) => arg.trim());
    const base = args[0] as string;
    const segments = args.slice(1).map(stringLiteral);
    if (segments.some((segment) => segment === undefined)) continue;
    const from = ROOT_NAME.test(base) ? root : FILE_DIR.test(base) ? fileDir : undefined;
    if (from && outside(path.resolve(from, ...(segments as string[])))) found.push(`line ${lineOf(match.index)}: ${match[0]}`);
  }
  for (const match of text.matchAll(URL_CALL)) {
    if (outside(path.resolve(fileDir, match[2] as string))) found.push(`line ${lineOf(match.index)}: ${match[0]}`);
  }
  return found;
}

describe('the repository stands alone', () => {
  it('no test, script, benchmark or source file names a path outside the repository', () => {
    const findings = SCANNED.flatMap((folder) => scannedFiles(path.join(repoRoot, folder)))
      .filter((file) => file !== fileURLToPath(import.meta.url))
      .flatMap((file) => outsideReferences(file, readFileSync(file, 'utf8'), repoRoot).map((line) => `${path.relative(repoRoot, file)} ${line}`));
    expect(findings).toEqual([]);
  });

  it('the check finds the ways a path can leave the repository', () => {
    const file = path.join(repoRoot, 'test', 'cli', 'helpers.ts');
    const leaks = [
      "export const bad = path.resolve(REPO_ROOT, '../notes/fixtures/bad');",
      "const bomb = path.resolve(root, '..', 'notes', 'fixtures', 'bad', 'alias-bomb.yaml');",
      // Spelled in two pieces so that this file itself does not name the folder beside the repository.
      `const fixtures = cwdOf('${'..'}/shared/fixtures');`,
      "const other = path.join(repoRoot, '..', 'sibling-project', 'data.json');",
      "const up = new URL('../../../notes/', import.meta.url);",
      "const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'x');",
      "const abs = '/work/notes/fixtures/bad';",
    ];
    for (const leak of leaks) expect(outsideReferences(file, leak, repoRoot), leak).not.toEqual([]);
    const inside = [
      "const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bad');",
      "const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');",
      "const src = new URL('../../src/', import.meta.url);",
      "const escape = path.join(workspace, '..', 'outside.txt');",
    ];
    for (const ok of inside) expect(outsideReferences(file, ok, repoRoot), ok).toEqual([]);
  });
});
