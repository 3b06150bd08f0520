import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { ADDED_COMMAND_NAMES, COMMAND_NAMES } from '../../src/runtime/command-names.js';
import { typedAs } from '../../src/runtime/resume-target.js';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * The help texts oclif prints say `sop` (they are the same for every user, printed before any command
 * runs): each command they tell the user to run must then be right, a command with its flags.
 */

/** `sop [COMMAND] --help` as printed, its wrapped lines joined. */
async function help(command: string | undefined): Promise<{ text: string; flags: Set<string> }> {
  const printed = await sop([...(command === undefined ? [] : [command]), '--help'], { cwd: tempDir('sop-help-') });
  expect(printed.code, printed.stderr).toBe(0);
  // A flag's line: `  -i, --input=<value>...`, `  --[no-]cache`.
  const flags = new Set([...printed.stdout.matchAll(/^\s+(?:-\w, )?--(?:\[no-\])?([\w-]+)/gm)].map((match) => match[1] as string));
  for (const allowNo of printed.stdout.matchAll(/^\s+--\[no-\]([\w-]+)/gm)) flags.add(`no-${allowNo[1]}`);
  flags.add('help');
  return { text: printed.stdout.replace(/\s+/g, ' '), flags };
}

/**
 * The commands a help text tells to run: a backticked `sop WORD ...`, an example's `$ sop WORD ...`,
 * or `sop WORD --flag` in prose; with the flags the command line gives (up to its closing backtick
 * or the end of its clause). "another sop process" is prose, not a command.
 */
function namedCommands(text: string): Array<{ word: string; flags: string[]; shown: string }> {
  const found: Array<{ word: string; flags: string[]; shown: string }> = [];
  for (const match of text.matchAll(/(`|\$ |(?<![\w./-]))sop ([a-z][\w-]*)([^`;,):]*)/g)) {
    const [shown, opening, word, rest] = match as unknown as [string, string, string, string];
    const tail = opening === '`' ? rest : (rest.split(/\. |\$ /)[0] as string);
    const flags = [...tail.matchAll(/(?:^|\s)--([\w-]+)/g)].map((flag) => flag[1] as string);
    if (opening === '`' || opening === '$ ' || flags.length > 0) found.push({ word, flags, shown: shown.trim() });
  }
  return found;
}

describe('the help texts\' `sop COMMAND --flag`', () => {
  it('each names a command of sop and flags of that command', { timeout: 120_000 }, async () => {
    const helps = new Map<string, Awaited<ReturnType<typeof help>>>();
    for (const command of COMMAND_NAMES) helps.set(command, await help(command));
    const root = await help(undefined);
    const wrong: string[] = [];
    let checked = 0;
    for (const [where, { text }] of [['sop --help', root] as const, ...[...helps].map(([command, page]) => [`sop ${command} --help`, page] as const)]) {
      for (const named of namedCommands(text)) {
        checked += 1;
        const target = helps.get(named.word);
        if (!target) {
          if (!(ADDED_COMMAND_NAMES as readonly string[]).includes(named.word)) wrong.push(`${where}: \`${named.shown}\`: no command ${named.word}`);
          continue;
        }
        for (const flag of named.flags) if (!target.flags.has(flag)) wrong.push(`${where}: \`${named.shown}\`: sop ${named.word} has no --${flag}`);
      }
    }
    expect(wrong).toEqual([]);
    // The scan finds the commands the texts name (`sop resume RUN --investment USD`, the examples).
    expect(checked).toBeGreaterThan(50);
  });
});

describe('the command words hints are typed by', () => {
  it('are the commands `sop --help` lists (and `help`), and the ones src/cli/commands.ts maps to classes', async () => {
    const printed = await sop(['--help'], { cwd: tempDir('sop-help-') });
    const section = /\nCOMMANDS\n([\s\S]*?)\n\n/.exec(printed.stdout)?.[1] ?? '';
    const listed = [...section.matchAll(/^ {2}(\w[\w-]*)/gm)].map((match) => match[1] as string);
    expect(listed).toContain('run');
    expect(listed).toContain('autocomplete');
    for (const word of [...listed, 'help']) expect(typedAs(`see \`sop ${word} --help\``, 'npx sop'), word).toBe(`see \`npx sop ${word} --help\``);
    expect([...listed].sort()).toEqual([...COMMAND_NAMES, 'autocomplete'].sort());
    expect(Object.keys(COMMANDS).sort()).toEqual([...COMMAND_NAMES].sort());
  });
});
