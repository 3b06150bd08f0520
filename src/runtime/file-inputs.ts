import { statSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { formatBytes, LIMITS, notRegularFile, readCappedSync, unreadableFile } from '../spec/limits.js';
import type { ResolvedSop } from '../spec/resolved.js';
import type { Workspace } from '../store/index.js';

/** A file input's file, to copy into the workspace before round 1. */
export interface FileSeed {
  input: string;
  /** Absolute path of the given file. */
  from: string;
  /** The file as the user named it (without the `@`), for the command that runs the run again. */
  given: string;
  /** Workspace-relative path it is copied to. */
  to: string;
}

/**
 * The file inputs (`type: file`) of a new run: each given file (`@path` or `path`, relative to `cwd`)
 * must be a readable file within the size bound (INPUT_FILE_INVALID, exit 2, before anything is
 * recorded). Returns the inputs with each file input's value (under every alias) replaced by the
 * workspace path it is copied to, and the copies to make.
 */
export function planFileInputs(sop: ResolvedSop, inputs: Record<string, unknown>, cwd: string): { inputs: Record<string, unknown>; seeds: FileSeed[] } {
  const seeds: FileSeed[] = [];
  const values = { ...inputs };
  for (const input of sop.inputs) {
    const given = inputs[input.name];
    if (input.type !== 'file' || typeof given !== 'string') continue;
    const named = given.startsWith('@') ? given.slice(1) : given;
    if (named.trim() === '') {
      throw new SopError('INPUT_FILE_INVALID', `file input "${input.name}": no file named after "${input.name}="`, { hint: `pass --input ${input.name}=@path/to/file, relative to the folder sop runs in` });
    }
    const from = path.resolve(cwd, named);
    checkFile(input.name, from);
    const to = input.path ?? path.basename(from);
    // Two inputs copied to one workspace path: the second copy would silently replace the first.
    const clash = seeds.find((seed) => path.posix.normalize(seed.to) === path.posix.normalize(to));
    if (clash) {
      throw new SopError('INPUT_FILE_INVALID', `file inputs "${clash.input}" and "${input.name}" would both be copied to ${to} in the workspace`, {
        hint: `pass files with different names, or give one of the inputs its own \`path:\` in the SOP`,
      });
    }
    seeds.push({ input: input.name, from, given: named, to });
    for (const name of [input.name, ...input.aliases]) values[name] = to;
  }
  return { inputs: values, seeds };
}

/** Copies each file input into the workspace, byte for byte. */
export function seedWorkspace(workspace: Workspace, seeds: readonly FileSeed[]): void {
  for (const seed of seeds) {
    const data = readCappedSync(seed.from, LIMITS.inputFileBytes);
    if (data === 'too-large') throw tooLarge(seed.input, seed.from, undefined);
    workspace.writeBytes(seed.to, data, `path of file input "${seed.input}"`);
  }
}

/** A file input's file must be a readable regular file within the size bound (INPUT_FILE_INVALID otherwise). */
export function checkFile(name: string, file: string): void {
  let size: number;
  try {
    const stats = statSync(file);
    const kind = notRegularFile(stats);
    if (kind !== undefined) throw Object.assign(new Error(`it is ${kind}; expected a regular file`), { code: stats.isDirectory() ? 'EISDIR' : 'ENOTREGULAR' });
    size = stats.size;
  } catch (error) {
    const { why } = unreadableFile(error);
    throw new SopError('INPUT_FILE_INVALID', `file input "${name}": cannot read ${file}: ${why}`, {
      hint: `pass --input ${name}=@path/to/file, relative to the folder sop runs in`,
    });
  }
  if (size > LIMITS.inputFileBytes) throw tooLarge(name, file, size);
}

function tooLarge(name: string, file: string, size: number | undefined): SopError {
  return new SopError('INPUT_FILE_INVALID', `file input "${name}": ${file} is ${size === undefined ? 'larger than the bound' : formatBytes(size)}; a file input is at most ${formatBytes(LIMITS.inputFileBytes)}`, {
    hint: 'give a smaller file (an extract), or let the SOP read the data with a tool',
  });
}
