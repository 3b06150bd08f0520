/**
 * The words of sop's own commands (`sop COMMAND`): the one list of them. `src/cli/commands.ts` maps
 * each to its class, and its type takes no other word and misses none, so a new command is added
 * here or does not compile. Hints' commands are typed by it (`typedAs`), below the CLI, which is
 * why the list lives here and not beside the classes (those import the CLI's helpers).
 */
export const COMMAND_NAMES = ['validate', 'schema', 'graph', 'init', 'run', 'prompts', 'test', 'resume', 'eval', 'runs', 'report', 'view', 'config', 'doctor', 'lock', 'migrate', 'worker'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** The commands oclif adds to sop's own: its `help`, and the plugins of package.json's `oclif.plugins` (`@oclif/plugin-autocomplete`). */
export const ADDED_COMMAND_NAMES = ['help', 'autocomplete'] as const;
