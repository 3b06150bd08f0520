import { describe, expect, it } from 'vitest';
import { sop } from './run-cli.js';

/** The command names of `sop --help`'s COMMANDS section, in the order printed. */
function listedCommands(help: string): string[] {
  const section = help.split(/^COMMANDS$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1] as string);
}

// The bundle sorts oclif's commands by code unit, not with localeCompare (scripts/command-order.mjs:
// the collator costs every command ~10 ms of start-up); the order users see must not change.
describe('sop --help: the order of commands', () => {
  it('lists every command in the order oclif\'s locale-aware sort gave', async () => {
    const result = await sop(['--help']);
    expect(result.code).toBe(0);
    const listed = listedCommands(result.stdout);
    expect(listed).toEqual(expect.arrayContaining(['autocomplete', 'config', 'eval', 'run', 'runs', 'validate', 'worker']));
    expect(listed).toEqual([...listed].sort((a, b) => a.localeCompare(b, 'en')));
    expect(listed.indexOf('run')).toBe(listed.indexOf('runs') - 1);
  });
});
