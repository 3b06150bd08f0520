import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, tempDir } from '../cli/run-cli.js';

/**
 * Every TypeScript example of docs/library.md type-checks as a user's strict program does, each in a
 * file of its own in an ES-module project (`"type": "module"`, as the guide says to make it) that
 * installed the package (`node_modules/sop-runner`, the built dist/index.d.ts). An example continues
 * the one before it: the names it takes from there (`sop`, `inputs`, `runDir`) are declared with
 * their types; anything else it uses, `runSop` included, it must import itself.
 */
afterAll(removeTempDirs);

const CONTINUED: Record<string, string> = {
  sop: "declare const sop: import('sop-runner').ResolvedSop;",
  inputs: 'declare const inputs: Record<string, string>;',
  runDir: 'declare const runDir: string;',
};

function examples(): string[] {
  const guide = readFileSync(path.join(repoRoot, 'docs', 'library.md'), 'utf8');
  // A block in a list item is indented with it: the code is the text less that indent.
  return [...guide.matchAll(/^( *)```ts\n([\s\S]*?)^\1```$/gm)].map(([, indent = '', code = '']) => code.split('\n').map((line) => line.slice(indent.length)).join('\n'));
}

function declaredIn(code: string, name: string): boolean {
  return new RegExp(`\\b(?:const|let)\\s+(?:\\{[^}]*\\b${name}\\b[^}]*\\}|${name}\\b)`).test(code);
}

describe('docs/library.md', () => {
  // A function or constant the package exports and the guide never names is one a user finds only
  // by reading the source.
  it('names every value the package exports', async () => {
    const guide = readFileSync(path.join(repoRoot, 'docs', 'library.md'), 'utf8');
    const exported = Object.keys(await import('../../src/index.js'));
    expect(exported.length).toBeGreaterThanOrEqual(30);
    expect(exported.filter((name) => !new RegExp(`\\b${name}\\b`).test(guide))).toEqual([]);
  });

  it('has its TypeScript examples type-check as written, in an ES-module project that installed sop-runner', { timeout: 120_000 }, async () => {
    const blocks = examples();
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const project = tempDir('sop-library-doc-');
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-program', private: true, type: 'module' }));
    mkdirSync(path.join(project, 'node_modules', '@types'), { recursive: true });
    symlinkSync(repoRoot, path.join(project, 'node_modules', 'sop-runner'), 'dir');
    symlinkSync(path.join(repoRoot, 'node_modules', '@types', 'node'), path.join(project, 'node_modules', '@types', 'node'), 'dir');
    const files = blocks.map((code, index) => {
      const prelude = Object.entries(CONTINUED).filter(([name]) => new RegExp(`\\b${name}\\b`).test(code) && !declaredIn(code, name)).map(([, declaration]) => declaration);
      const file = `example-${index + 1}.ts`;
      writeFileSync(path.join(project, file), `${[...prelude, code].join('\n')}\nexport {};\n`);
      return file;
    });
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', ...files];
    const result = await promisify(execFile)(process.execPath, args, { cwd: project }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }),
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });
});
