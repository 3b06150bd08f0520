import path from 'node:path';
import { parse } from 'dotenv';
import { SopError } from '../errors/index.js';
import { formatBytes, readCappedSync, unreadableFile } from '../spec/limits.js';
import { decodeUtf8Text } from '../spec/text-encoding.js';
import { firstUnreadLine } from './env-file-lines.js';

/** The file of environment variables read from the folder sop runs in. */
export const ENV_FILE = '.env';

/** Most bytes of a `.env`: a file of variables, not data. */
const ENV_FILE_BYTES = 1024 * 1024;

/** The variables a `.env` set, for `sop config` to name as their source. */
export interface LoadedEnvFile {
  file: string;
  names: readonly string[];
}

/**
 * The project's `.env` (in the folder sop runs in), as promptfoo, CrewAI and the LangGraph CLI read
 * one: each variable it sets that `env` lacks is set in `env`; one the environment already has keeps
 * its value (as dotenv does). dotenv's rules read it (`export`, quotes, `#` comments, quoted values of
 * several lines). Nothing without such a file, or when `.env` is a folder (a Python virtualenv's usual name).
 */
export function loadEnvFile(cwd: string, env: NodeJS.ProcessEnv): LoadedEnvFile | undefined {
  const file = path.join(cwd, ENV_FILE);
  let bytes: Buffer | 'too-large';
  try {
    bytes = readCappedSync(file, ENV_FILE_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw unreadable(file, unreadableFile(error).why);
  }
  if (bytes === 'too-large') throw unreadable(file, `it is larger than ${formatBytes(ENV_FILE_BYTES)}`);
  const decoded = decodeUtf8Text(bytes);
  // A BOM (UTF-16) has no position of its own: it is the file's first character.
  if (!decoded.ok) throw unreadable(`${file}:${decoded.problem.line ?? 1}:${decoded.problem.column ?? 1}`, decoded.problem.message);
  // dotenv skips a line it cannot read without a word: `OPENAI_API_KEY sk-...` left the key unset, and
  // the run then said to set it. The line's text is not shown: it may hold a secret.
  const unread = firstUnreadLine(decoded.text);
  if (unread) {
    const what = unread.name === undefined ? 'this line is no NAME=value assignment' : `\`${unread.name}\` has no \`=\` after it`;
    throw unreadable(`${file}:${unread.line}:${unread.column}`, `${what}, so dotenv would skip the line (its text is not shown: it may hold a secret)`, [
      'write it NAME=value (a value with spaces or `#` in quotes: NAME="a b"), or make it a comment with `#`,',
      `or move the file away: sop reads environment variables from ${ENV_FILE} in the folder it runs in`,
    ].join(' '));
  }
  const names: string[] = [];
  for (const [name, value] of Object.entries(parse(decoded.text))) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    names.push(name);
  }
  return { file, names };
}

/** `place`: the file, or `FILE:LINE:COL` of what in it cannot be read. */
function unreadable(place: string, why: string, hint = `sop reads environment variables from ${ENV_FILE} in the folder it runs in: make it a UTF-8 text file of NAME=value lines, or move it away`): SopError {
  return new SopError('CONFIG_INVALID', `cannot read ${place}: ${why}`, { hint });
}
