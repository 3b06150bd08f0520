import { existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';

/** The SOPs the package ships (`sops/` beside `src/` and `dist/`). */
const SHIPPED_SOPS = path.join(PACKAGE_ROOT, 'sops');

/**
 * For `sops/software-company.yaml` typed as the README and docs write it, in a project that installed
 * sop-runner (the file is in the package, not in the project): where the package's copy is, as a path
 * from the current folder (`node_modules/sop-runner/sops/software-company.yaml`). Given to the spec
 * layer as `missingFileHint`: it does not know the package's layout.
 */
export function shippedSopHint(file: string, absolute: string): string | undefined {
  if (path.basename(path.dirname(absolute)) !== 'sops') return undefined;
  const shipped = path.join(SHIPPED_SOPS, path.basename(absolute));
  if (shipped === absolute || !existsSync(shipped)) return undefined;
  const fromHere = path.relative(process.cwd(), shipped);
  const shown = fromHere.startsWith('..') || path.isAbsolute(fromHere) ? shipped : fromHere;
  return `\`${file}\` is one of the SOPs sop-runner ships, in its package rather than in this project: give \`${shown}\`, or copy it into the project to change it`;
}
