import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, isSopError } from '../errors/index.js';
import { isGitFolder, type Workspace } from '../store/index.js';
import { capEnds, capOutput, toolError } from './output-cap.js';
import type { MaskParts, Tool, ToolContext, ToolLimits, ToolResult } from './types.js';

/** Entries `fs.list` returns at most. */
const MAX_ENTRIES = 500;
/** Matching lines `fs.search` returns at most. */
const MAX_MATCHES = 200;
/** Files larger than this are not searched. */
const MAX_SEARCH_FILE_BYTES = 1024 * 1024;

const pathArgument = (description: string, example: string, fallback?: string): Record<string, unknown> => ({
  type: 'string',
  minLength: 1,
  description,
  examples: [example],
  ...(fallback === undefined ? {} : { default: fallback }),
});

/**
 * `fs.read`, `fs.write`, `fs.list`, `fs.search`, confined to the workspace: every path goes
 * through `Workspace.resolve` (no absolute paths, no `..`, no symlink leading out), and listing
 * and searching never descend through a symlink. A refused path is an error result; nothing is touched.
 */
export function createFsTools(workspace: Workspace, limits: ToolLimits): Tool[] {
  const guarded = (run: (args: Record<string, unknown>, context: ToolContext) => ToolResult): Tool['run'] => async (args, context) => {
    try {
      return run(args, context);
    } catch (error) {
      // A full or read-only disk is not the model's to fix: it ends the run (exit 14, resumable).
      if (isSopError(error) && error.exitCode === EXIT.STORAGE_FAILED) throw error;
      if (isSopError(error)) return toolError(error.message, { code: error.code });
      const code = (error as NodeJS.ErrnoException).code;
      return toolError(code === 'ENOENT' ? 'no such file or folder' : code === 'EISDIR' ? 'that is a folder; use fs.list' : code === 'ENOTDIR' ? 'that is a file, not a folder' : (error as Error).message);
    }
  };
  return [
    {
      name: 'fs.read',
      description: 'Read a text file of the workspace.',
      parameters: { type: 'object', additionalProperties: false, required: ['path'], properties: { path: pathArgument('Workspace-relative path of the file', 'README.md') } },
      run: guarded((args, context) => {
        const target = workspace.resolveForRead(String(args['path']), 'path');
        return readCapped(target, limits.maxOutputBytes, context.maskParts);
      }),
    },
    {
      name: 'fs.write',
      description: 'Write a text file of the workspace (folders are created; an existing file is replaced).',
      parameters: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'content'],
        properties: {
          path: pathArgument('Workspace-relative path of the file', 'notes/tool-check.txt'),
          content: { type: 'string', description: 'The complete new content', examples: ['written by the fs.write tool'] },
        },
      },
      run: guarded((args) => {
        const written = workspace.write(String(args['path']), String(args['content']));
        return { content: `wrote ${written.bytes} bytes to ${written.path}`, isError: false, written: [written] };
      }),
    },
    {
      name: 'fs.list',
      description: 'List a folder of the workspace; folders end with "/".',
      parameters: {
        type: 'object',
        additionalProperties: false,
        properties: {
          path: pathArgument('Workspace-relative folder', '.', '.'),
          recursive: { type: 'boolean', default: false, description: 'Include the contents of subfolders' },
        },
      },
      run: guarded((args) => {
        const root = folderOf(workspace, args['path']);
        const entries: string[] = [];
        const more = walk(root, args['recursive'] === true, (file, isFolder) => {
          entries.push(`${workspace.relative(file)}${isFolder ? '/' : ''}`);
          return entries.length < MAX_ENTRIES;
        });
        const text = entries.length === 0 ? '(empty)' : entries.join('\n');
        return { content: capOutput(more ? `${text}\n[... more entries: list a subfolder]` : text, limits.maxOutputBytes), isError: false };
      }),
    },
    {
      name: 'fs.search',
      description: 'Find the lines of workspace files that contain a text (literal, not a pattern): "file:line: text".',
      parameters: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: { type: 'string', minLength: 1, description: 'The text to look for', examples: ['TODO'] },
          path: pathArgument('Workspace-relative folder to search', '.', '.'),
          ignore_case: { type: 'boolean', default: false, description: 'Match regardless of case' },
        },
      },
      run: guarded((args, context) => {
        const ignoreCase = args['ignore_case'] === true;
        const needle = ignoreCase ? String(args['text']).toLowerCase() : String(args['text']);
        const matches: string[] = [];
        const root = folderOf(workspace, args['path']);
        const visit = (file: string, isFolder: boolean): boolean => {
          if (isFolder) return true;
          for (const line of searchFile(file, needle, ignoreCase, context.mask)) {
            matches.push(`${workspace.relative(file)}:${line}`);
            if (matches.length >= MAX_MATCHES) return false;
          }
          return true;
        };
        // A file can be searched on its own; a folder is searched through (never via symlinks).
        const more = statSync(root).isDirectory() ? walk(root, true, visit) : !visit(root, false);
        const text = matches.length === 0 ? 'no matches' : matches.join('\n');
        return { content: capOutput(more ? `${text}\n[... more matches: search a subfolder]` : text, limits.maxOutputBytes), isError: false };
      }),
    },
  ];
}

function folderOf(workspace: Workspace, value: unknown): string {
  const relative = typeof value === 'string' && value.trim() !== '' ? value : '.';
  return relative === '.' ? workspace.root : workspace.resolveForRead(relative, 'path');
}

/**
 * Visits entries under `folder` in name order, never following symlinks (they are listed, not
 * entered). `visit` returns false to stop; `walk` then returns true (there was more).
 */
function walk(folder: string, recursive: boolean, visit: (file: string, isFolder: boolean) => boolean): boolean {
  for (const name of readdirSync(folder).sort()) {
    // A checkout's git folder is not the project's: its config may hold a remote URL's token.
    if (isGitFolder(name)) continue;
    const full = path.join(folder, name);
    const stats = lstatSync(full);
    const isFolder = stats.isDirectory();
    if (!visit(full, isFolder)) return true;
    if (isFolder && recursive && walk(full, true, visit)) return true;
  }
  return false;
}

/**
 * A file's text for `fs.read`, capped: a large file is read by its head and tail only (what the
 * cap keeps anyway), so it is never loaded whole. Only regular files (a FIFO would block).
 */
function readCapped(file: string, maxBytes: number, mask: MaskParts | undefined): ToolResult {
  const stats = statSync(file);
  if (stats.isDirectory()) return toolError('that is a folder; use fs.list');
  if (!stats.isFile()) return toolError('that is not a regular file');
  if (stats.size <= maxBytes) return { content: capOutput(readFileSync(file, 'utf8'), maxBytes), isError: false };
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(maxBytes);
    const tail = Buffer.alloc(maxBytes);
    const headRead = readSync(fd, head, 0, maxBytes, 0);
    const tailRead = readSync(fd, tail, 0, maxBytes, Math.max(0, stats.size - maxBytes));
    return { content: capEnds(head.subarray(0, headRead), tail.subarray(0, tailRead), stats.size, maxBytes, mask), isError: false };
  } finally {
    closeSync(fd);
  }
}

/** The matching lines of `file`, each masked before it is cut to 300 characters (and before the result's cut to the cap). */
function* searchFile(file: string, needle: string, ignoreCase: boolean, mask: (text: string) => string = (text) => text): Generator<string> {
  const stats = lstatSync(file);
  // A hard link may name a file outside the workspace: never searched (fs.read refuses it too).
  if (!stats.isFile() || stats.nlink > 1 || stats.size > MAX_SEARCH_FILE_BYTES) return;
  const data = readFileSync(file);
  if (data.includes(0)) return; // binary
  const lines = data.toString('utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (!(ignoreCase ? line.toLowerCase() : line).includes(needle)) continue;
    const shown = mask(line);
    yield `${index + 1}: ${shown.length > 300 ? `${shown.slice(0, 300)}...` : shown}`;
  }
}
