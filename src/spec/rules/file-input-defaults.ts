import path from 'node:path';
import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/**
 * FILE_REF_ESCAPE: a `type: file` input's `default` is a file the SOP names, copied into the
 * workspace and read by its model with nobody giving it: an absolute path or `..` would let
 * an SOP from elsewhere send `/home/me/.ssh/id_rsa` to a model. A file the user gives
 * (`--input doc=@/any/path`) is the user's choice and stays free.
 */
export function fileInputDefaults(context: RuleContext): void {
  for (const [name, input] of Object.entries(context.sop.document.inputs ?? {})) {
    const given: unknown = input.default;
    if (input.type !== 'file' || typeof given !== 'string') continue;
    const named = given.startsWith('@') ? given.slice(1) : given;
    const slashed = named.replace(/\\/g, '/');
    const problem = path.posix.isAbsolute(slashed) || path.win32.isAbsolute(named) || /^[A-Za-z]:/.test(named) ? 'is an absolute path'
      : path.posix.normalize(slashed).split('/')[0] === '..' ? 'leaves the folder sop runs in'
      : undefined;
    if (problem === undefined) continue;
    context.sink.error('FILE_REF_ESCAPE', joinPointer('/inputs', name, 'default'), `file input \`${name}\`'s default \`${given}\` ${problem}: a default is read with nobody giving it, so it may only name a file of the project`, {
      expected: 'a path relative to the folder sop runs in, staying inside it (e.g. `@data/sample.csv`)',
      hint: `give a file of the project as the default, or remove the default so the user gives the file: --input ${name}=@path/to/file`,
    });
  }
}
