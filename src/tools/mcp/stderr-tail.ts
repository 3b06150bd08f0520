/** The last few KB a stdio MCP server wrote to stderr: kept for error messages, never printed. */
export class StderrTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = 4096) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - (this.chunks[0]?.length ?? 0) >= this.limit) this.size -= this.chunks.shift()?.length ?? 0;
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8').trim();
  }
}

/** Longest server line quoted in an error. */
const QUOTED_MAX = 300;

/**
 * The line of a server's stderr that says what went wrong, for a one-line error: its last error line
 * (`Error [ERR_MODULE_NOT_FOUND]: ...`, Python's `ModuleNotFoundError: ...`), else its last line
 * that is not part of a stack trace. Undefined when it said nothing.
 */
export function serverErrorLine(said: string): string | undefined {
  const lines = said
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^at\s|^\^+$|^Node\.js v\d|^[{}]$/.test(line));
  const line = lines.findLast((candidate) => /^[\w.$]*(Error|Exception)(\s\[\w+\])?:\s/.test(candidate)) ?? npmSummaryLine(lines) ?? lines.at(-1);
  if (line === undefined) return undefined;
  return line.length > QUOTED_MAX ? `${line.slice(0, QUOTED_MAX)}...` : line;
}

/**
 * npm's (and so `npx`'s) own words for what failed: its first `npm error` line that says something,
 * not the code, syscall, errno or path lines, a bare status (`npm error 404`) or the log file line it
 * ends with (`A complete log of this run can be found in: ...`), which was quoted for a misspelt
 * package (`npm error 404 Not Found - GET https://registry.npmjs.org/...`).
 */
function npmSummaryLine(lines: readonly string[]): string | undefined {
  return lines.find((line) => /^npm (error|ERR!) /.test(line) && !/^npm (error|ERR!)\s+(code|syscall|errno|path)\s|^npm (error|ERR!)\s+(\d{3}\s*$|A complete log of this run|Log files were not written)/.test(line));
}

/** What to do about a server that stopped with `line`: install what it could not import, else look at its output. */
export function serverFixHint(line: string | undefined, command: string, cwd: string): string {
  const where = `in ${cwd}`;
  const nodePackage = line === undefined ? undefined : /Cannot find package '([^']+)'/.exec(line)?.[1];
  if (nodePackage !== undefined) return `the server cannot import the npm package ${nodePackage}: install it where the server's script is (\`npm install ${nodePackage}\` ${where}, or in a folder above it)`;
  const npmMissing = line === undefined ? undefined : /\b404 Not Found - GET https?:\/\/[^/\s]+\/(\S+)/.exec(line)?.[1];
  if (npmMissing !== undefined) return `the npm registry has no package ${decodedPath(npmMissing)}: check its name in the server's \`command\` (\`${command}\`)`;
  const python = line === undefined ? undefined : /No module named '([^']+)'/.exec(line)?.[1];
  if (python !== undefined) return `the server cannot import the Python module ${python}: install it for the Python that runs the server, then retry`;
  return `run \`${command}\` ${where} to see its whole output: it must start and speak MCP on stdin/stdout`;
}

/** `@scope%2fname` as `@scope/name`; a path that is not valid percent-encoding as it is. */
function decodedPath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
