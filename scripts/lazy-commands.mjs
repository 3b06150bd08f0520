// The command table (dist/cli/commands.js) as bundled (scripts/bundle-cli.mjs, an esbuild plugin;
// README, Design: start-up): each command module is initialised when its entry of `COMMANDS` is
// first read, not when the bundle loads. Imported statically, every command's class (its flags,
// texts and the modules only it imports) was built by every command, `sop run` included; bin/sop.js
// reads only the entry of the command it runs (oclif is given that one alone), and `sop --help` reads
// them all. A getter that `require`s the module: esbuild initialises a required module on that call.
import { readFile } from 'node:fs/promises';

const IMPORT = /^import (\w+) from '(\.\/commands\/[\w-]+\.js)';$/gm;
const ENTRY = /^\s+(\w+): (\w+),$/gm;

/** The table's source with each static import made a getter that requires the command's module. */
export function lazyCommandTable(text) {
  const files = new Map([...text.matchAll(IMPORT)].map(([, name, file]) => [name, file]));
  const table = text.slice(text.indexOf('export const COMMANDS = {'));
  const entries = [...table.matchAll(ENTRY)].map(([, id, name]) => [id, files.get(name)]);
  // A table written otherwise (another import form, an entry not a plain class) must be looked at again, not bundled half-lazy.
  if (files.size === 0 || entries.length !== files.size || entries.some(([, file]) => file === undefined)) {
    throw new Error('lazy-commands: dist/cli/commands.js is not the import list and table this plugin expects');
  }
  const getters = entries.map(([id, file]) => `  get ${id}() { return require(${JSON.stringify(file)}).default; },`);
  return `export const COMMANDS = {\n${getters.join('\n')}\n};\n`;
}

export const lazyCommands = {
  name: 'lazy-commands',
  setup(context) {
    context.onLoad({ filter: /[\\/]dist[\\/]cli[\\/]commands\.js$/ }, async (args) => ({ contents: lazyCommandTable(await readFile(args.path, 'utf8')), loader: 'js' }));
  },
};
