import path from 'node:path';
import { SopError, isSopError } from '../errors/index.js';
import { checkWritable, namingFlag } from '../files/index.js';

/**
 * Refuses, before the work, a file flag (`--out`, `--junit`) whose file cannot be written: a folder
 * in its place, or a place where no file can be made. Found at the end, it was an internal error
 * (exit 1) after the whole eval or test run. A storage cause stays its storage error (exit 14).
 */
export function checkOutputFile(flag: string, given: string): void {
  // Named as the write at the end names it (absolute), so a refusal reads the same either way.
  const file = path.resolve(given);
  try {
    checkWritable(file);
  } catch (error) {
    throw isSopError(error) ? namingFlag(error, flag) : new SopError('FILE_UNWRITABLE', `${flag}: cannot write ${file}: ${(error as Error).message}`, { hint: 'give a writable file path' });
  }
}

/** `checkOutputFile` for each given flag. */
export function checkOutputFiles(files: Record<string, string | undefined>): void {
  for (const [flag, file] of Object.entries(files)) if (file !== undefined) checkOutputFile(flag, file);
}

/** What a file flag writes, and where each other format named by an extension comes from instead. */
export interface OutputFormat {
  /** The command, as its refusal names it: `sop report`. */
  command: string;
  /** What the flag writes: `the results file as JSON (FILE.json)`. */
  writes: string;
  /** Per refused extension (lower case, no dot): where that format comes from. */
  elsewhere: Readonly<Record<string, string>>;
  /** The name to give instead: `the page` and `.html`. */
  instead: { what: string; extension: string };
}

/**
 * A file flag given a name whose extension says another format (`--out results.xml` for JSON) would
 * write one format under another's name, silently: refused before the work, naming where that
 * format comes from and the name to give.
 */
export function refuseOtherFormat(flag: string, given: string, format: OutputFormat): void {
  const extension = /\.([a-z]+)$/i.exec(given)?.[1]?.toLowerCase();
  const where = extension === undefined || !Object.hasOwn(format.elsewhere, extension) ? undefined : format.elsewhere[extension];
  if (where === undefined) return;
  throw new SopError('USAGE', `${flag} ${given}: \`${format.command}\` writes ${format.writes}, not ${extension!.toUpperCase()}`, {
    hint: `${where}; for ${format.instead.what} give ${flag} ${given.replace(/\.[a-z]+$/i, format.instead.extension)}`,
  });
}

/**
 * What `--junit` writes (`sop run`, `resume`, `test`, `eval`): JUnit XML. `--junit results.json`
 * wrote XML under a name saying JSON, where the command's JSON output was meant.
 */
export function junitFormat(command: string): OutputFormat {
  const json = command === 'sop eval' ? 'the results as JSON are written by `sop eval --out FILE.json`' : `the results as JSON are printed by \`${command} --json\``;
  const page = command === 'sop eval' ? "the eval's HTML page is written into its record, .sop/evals/ID/report.html" : "a run's HTML page is report.html in its run folder (`sop report RUN`)";
  return {
    command,
    writes: 'JUnit XML (FILE.xml)',
    elsewhere: { json, html: page, htm: page, md: 'a Markdown summary is written by `sop report RUN --out FILE.md`' },
    instead: { what: 'the JUnit report', extension: '.xml' },
  };
}

/**
 * Writes a file flag's file (`--junit`, `--out`) once the work is done: a storage failure (a
 * read-only folder, a full disk) is returned, naming the flag, for the command to say after its
 * results (it replaced them, and `--json` lost them). Anything else is a bug and thrown.
 */
export async function writeFlagFile(flag: string, given: string, content: string): Promise<SopError | undefined> {
  const { guardWrite, writeFileAtomicSync } = await import('../files/index.js');
  const file = path.resolve(given);
  try {
    guardWrite(file, () => writeFileAtomicSync(file, content));
    return undefined;
  } catch (error) {
    if (!isSopError(error)) throw error;
    return namingFlag(error, flag) as SopError;
  }
}
