import { statSync } from 'node:fs';
import { SopError } from '../errors/index.js';
import type { ResolvedInput } from '../spec/resolved.js';

/**
 * `sop run --inc`: checks that the SOP supports incremental mode (it declares a boolean input
 * `inc`) and that `--workspace` names an existing folder, then sets `inc` to true in `inputs`.
 * Which artifacts each role reads and what it changes is the SOP's business, not the runner's.
 */
export function incrementalInputs(inputs: Record<string, string>, declared: ResolvedInput[], workspace: string | undefined): void {
  const inc = declared.find((input) => input.name === 'inc');
  if (!inc || inc.type !== 'boolean') {
    throw new SopError('USAGE', 'this SOP does not support --inc', {
      hint: 'incremental mode needs an SOP that declares a boolean input `inc` (see sops/software-company.yaml)',
    });
  }
  if (workspace === undefined) {
    throw new SopError('USAGE', '--inc needs --workspace pointing at the existing project', { hint: 'e.g. `sop run SOP --inc --workspace workspace/my-app "the new requirement"`' });
  }
  let folder = false;
  try {
    folder = statSync(workspace).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder) {
    throw new SopError('USAGE', `--inc: the workspace "${workspace}" is not an existing folder`, { hint: 'point --workspace at the project an earlier run wrote' });
  }
  if (inputs['inc'] !== undefined && inputs['inc'] !== 'true') {
    throw new SopError('USAGE', `--inc contradicts --input inc=${inputs['inc']}`, { hint: 'drop --input inc=...' });
  }
  inputs['inc'] = 'true';
}
