import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds dist/ once per test run when it is missing or older than any source file, so the CLI
 * tests run the real `bin/sop.js` on current code. `npm test` builds first, so this is usually a no-op.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Written last by `npm run build` (scripts/bundle-cli.mjs, after tsc): the hash of what `bin/sop.js` runs. */
const builtMarker = path.join(root, 'dist', 'bundle', 'sop.cjs.sha256');

/**
 * Also gives the CLI a code cache folder of the test run's own (bin/load-bundle.js; the test
 * processes and the commands they start inherit the variable), removed at the end: nothing is
 * written to the user's ~/.cache.
 *
 * And the shell of a user who put this `sop` on PATH (`npm link`): a `sop` first on PATH and no
 * npm variables (`npx vitest` and `npm test` set `npm_command`, which a hint reads as `npx sop`), so
 * the commands hints give are typed `sop ...` whichever way the suite was started. A test of the
 * other ways sop is started (`npx sop`, `node PATH/bin/sop.js`) sets PATH and npm_command itself.
 */
export default function setup(): () => void {
  const cache = mkdtempSync(path.join(tmpdir(), 'sop-test-cache-'));
  process.env['XDG_CACHE_HOME'] = cache;
  const bin = path.join(cache, 'bin');
  mkdirSync(bin);
  symlinkSync(path.join(root, 'bin', 'sop.js'), path.join(bin, 'sop'));
  process.env['PATH'] = [bin, process.env['PATH'] ?? ''].join(path.delimiter);
  delete process.env['npm_command'];
  build();
  return () => rmSync(cache, { recursive: true, force: true });
}

function build(): void {
  const builtAt = modifiedAt(builtMarker);
  const sourcesAt = Math.max(
    newestIn(path.join(root, 'src')),
    modifiedAt(path.join(root, 'tsconfig.json')),
    modifiedAt(path.join(root, 'tsconfig.build.json')),
  );
  if (builtAt !== 0 && builtAt >= sourcesAt) return;
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  // The CLI runs the bundle of what tsc wrote, so it is made again too (even when tsc reports errors).
  const bundled = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle-cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (bundled.status !== 0) throw new Error(`bundling the CLI failed (scripts/bundle-cli.mjs):\n${bundled.stdout}${bundled.stderr}`);
  if (result.status === 0) return;
  // tsc still emits on type errors; the CLI tests can run, but say loudly that the build is not clean.
  const output = `${result.stdout}${result.stderr}`.trim();
  if (modifiedAt(builtMarker) === 0) throw new Error(`build failed, dist/ not written:\n${output}`);
  console.warn(`warning: \`npm run build\` reported errors (dist/ was written anyway):\n${output}`);
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : modifiedAt(full));
  }
  return newest;
}
