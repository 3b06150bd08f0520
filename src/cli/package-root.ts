import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The package's root folder. This file lives at `src/cli/` (tests) and `dist/cli/` (built), both two
 * levels below the root, so the same relative step works from either.
 */
export const PACKAGE_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));

/** The JSON Schema of the SOP format, shipped with the package. */
export const SOP_SCHEMA_PATH: string = path.join(PACKAGE_ROOT, 'schemas', 'sop.v1.schema.json');

/**
 * The project a package root belongs to: the one that installed it (`<project>/node_modules/sop-runner`:
 * the folder holding the last `node_modules` of its path), or the package itself (sop's own checkout).
 */
export function projectOf(packageRoot: string): string {
  const parts = packageRoot.split(path.sep);
  const nodeModules = parts.lastIndexOf('node_modules');
  return nodeModules > 0 ? parts.slice(0, nodeModules).join(path.sep) || path.sep : packageRoot;
}

/** Whether `dir` is `project` or inside it. */
export function isInside(dir: string, project: string): boolean {
  const relative = path.relative(project, dir);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
