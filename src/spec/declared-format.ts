import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** How much of a file is read for its `apiVersion`: every sop format puts it at the top. */
const HEAD_BYTES = 8192;

/**
 * The `apiVersion` a YAML file declares at its top level within its first 8 KB (`sop/v1`,
 * `sop-test/v1`, ...), read without parsing the file: which of sop's formats it is before it is
 * read as one. Undefined when it declares none there or cannot be read.
 */
export function declaredApiVersion(file: string): string | undefined {
  let fd: number | undefined;
  try {
    // Only a regular file: opening a named pipe waits for a writer, and a writer let in by an open
    // here would lose what it writes when this closes.
    if (!statSync(file).isFile()) return undefined;
    fd = openSync(file, 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    const length = readSync(fd, head, 0, HEAD_BYTES, 0);
    return /^apiVersion:[ \t]*["']?([\w.-]+\/v\d+)/m.exec(head.toString('utf8', 0, length))?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
