// Two patches to oclif's config/plugin.js, made as it is bundled (scripts/bundle-cli.mjs, an esbuild
// plugin; README, Design: start-up):
// - oclif sorts a plugin's commands with `localeCompare`, and the first `localeCompare` of a process
//   makes V8 build an ICU collator (~10 ms of every command's start-up, seen in a CPU profile of a
//   cold `sop run`). Command ids are lowercase ASCII words and `:`, which a comparison of code units
//   orders as the collator did for sop's commands (test/cli/command-order.test.ts pins `sop --help`).
// - oclif requires tinyglobby (with fdir, picomatch, and fdir's `require.resolve('picomatch')`, a
//   search of node_modules) when it loads, to find command files by pattern; sop lists its commands
//   (`oclif.commands.strategy: explicit`), so tinyglobby is required when first used instead.
import { readFile } from 'node:fs/promises';

const LOCALE_SORT = '.sort((a, b) => a.id.localeCompare(b.id))';
const CODE_UNIT_SORT = '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))';
const EAGER_GLOB = 'const tinyglobby_1 = require("tinyglobby");';
const LAZY_GLOB = 'const tinyglobby_1 = { get glob() { return require("tinyglobby").glob; } };';

export const commandOrder = {
  name: 'command-order',
  setup(context) {
    context.onLoad({ filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      // A newer oclif that sorts or globs otherwise must be looked at again, not bundled unpatched unnoticed.
      if (!text.includes(LOCALE_SORT)) throw new Error(`command-order: oclif's command sort not found in ${args.path}`);
      if (!text.includes(EAGER_GLOB)) throw new Error(`command-order: oclif's tinyglobby require not found in ${args.path}`);
      return { contents: text.replace(LOCALE_SORT, CODE_UNIT_SORT).replace(EAGER_GLOB, LAZY_GLOB), loader: 'js' };
    });
  },
};
