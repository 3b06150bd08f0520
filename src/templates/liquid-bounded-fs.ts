import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { FS } from 'liquidjs';
import { editorText } from '../spec/text-encoding.js';

/**
 * A liquidjs file system that serves each file at most `maxReads` times, then as empty text: the
 * static analysis of partials (liquidjs 10.x) marks a partial as seen only after its first child,
 * so a partial that includes itself under an `{% if %}` was analysed until the stack overflowed.
 * With parses not cached, the bound ends any chain of includes after a few levels.
 */
export function boundedFs(maxReads: number): FS & { reset(): void } {
  const reads = new Map<string, number>();
  const contains = (root: string, file: string): boolean => {
    try {
      const realRoot = realpathSync(root);
      return realpathSync(file).startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep);
    } catch {
      return false;
    }
  };
  const read = (file: string): string => {
    const count = reads.get(file) ?? 0;
    reads.set(file, count + 1);
    return count < maxReads ? editorText(readFileSync(file, 'utf8')) : '';
  };
  return {
    reset: () => reads.clear(),
    existsSync,
    exists: async (file) => existsSync(file),
    readFileSync: read,
    readFile: async (file) => read(file),
    resolve: (root, file, ext) => path.resolve(root, path.extname(file) ? file : file + ext),
    dirname: (file) => path.dirname(file),
    containsSync: contains,
    contains: async (root, file) => contains(root, file),
    sep: path.sep,
  };
}
