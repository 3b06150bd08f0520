import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { COMMAND_NAMES } from '../../src/runtime/command-names.js';
import { typedAs } from '../../src/runtime/resume-target.js';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

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
