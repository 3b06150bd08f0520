#!/usr/bin/env node
// Entry point of the `sop` command: runs the built CLI (dist/bundle/sop.cjs: the commands bundled with
// oclif by `npm run build`, loaded with a code cache by bin/load-bundle.js). Only Node's own modules are required up front: `--version` answers
// without loading oclif, and every other command loads only what it uses (README, Design: start-up).
// CommonJS (bin/package.json): an ES module entry makes Node set up its ES module loader first, a
// cost every command paid; the bundle's own `import()` of a package still works from here.
'use strict';
const { readFileSync } = require('node:fs');
const nodeModule = require('node:module');
const { arch, platform } = require('node:os');
const path = require('node:path');

const root = `${path.dirname(__dirname)}${path.sep}`;
const pjson = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const argv = commandLine(process.argv.slice(2));

/**
 * The arguments as oclif reads them, the command word first. `sop help [COMMAND]` is
 * `sop [COMMAND] --help` (oclif's help plugin would add a command and a plugin to load for this
 * alone); `-h` is `--help` (package.json `oclif.additionalHelpFlags`). The flags every command takes
 * (`--json`, `--debug`) may come before the command word, as with git or docker: `sop --json run
 * x.yaml` is `sop run --json x.yaml` (right after the word, before any `--` that ends the flags).
 */
function commandLine(args) {
  const everyCommandFlags = new Set(['--json', '--debug']);
  let lead = 0;
  while (lead < args.length && everyCommandFlags.has(args[lead])) lead += 1;
  const flags = args.slice(0, lead);
  let rest = args.slice(lead);
  const help = rest[0] === 'help';
  if (help) rest = rest.slice(1);
  const line = flags.length > 0 && rest.length > 0 && !rest[0].startsWith('-') ? [rest[0], ...flags, ...rest.slice(1)] : [...flags, ...rest];
  return help ? [...line, '--help'] : line;
}

// A reader that goes away (`sop run | head`) must not crash a run half-recorded nor hang its exit:
// what is written to a closed pipe is dropped, and the run finishes and records itself.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * Exits once stdout and stderr are flushed, so piped output (`sop run --json | jq`) is never cut. (Not
 * oclif's `flush`: it waits for a 'drain' that a closed pipe never emits.)
 */
function exitAfterFlush(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/**
 * Loads the bundle (bin/load-bundle.js) without oclif's Node version check, which looks for oclif's
 * package.json beside the bundle, never finds it and so checks nothing, after loading semver
 * (~15 ms). npm checks `engines` at install. The variable is unset again: tools and servers a run
 * starts never see it.
 */
function loadQuietly(bundle, command) {
  const { loadBundle } = require('./load-bundle.js');
  const before = process.env.OCLIF_DISABLE_ENGINE_WARNING;
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1';
  try {
    return loadBundle(bundle, command);
  } finally {
    if (before === undefined) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
    else process.env.OCLIF_DISABLE_ENGINE_WARNING = before;
  }
}

/**
 * package.json as oclif reads it. One of sop's own commands (`--help` included) uses nothing of the
 * plugins, which only add commands (`sop autocomplete`) and install hooks: oclif does not look for
 * them then (~15 ms of start-up). Run (not its help), it is also the only command oclif is given:
 * oclif reads the definition of every command it is given (flags, defaults, help texts) before it
 * runs one, ~300 page faults and a few ms for the 16 others. Anything else (`sop`, `sop --help`, a
 * plugin's command, a typo that oclif suggests a command for) sees every command.
 */
function pjsonFor(exports) {
  const { COMMANDS } = exports;
  if (!Object.hasOwn(COMMANDS, argv[0])) return pjson;
  const oclif = { ...pjson.oclif, plugins: [] };
  if (!argv.includes('--help') && !argv.includes('-h')) {
    // oclif takes the command table from this export of the bundle (package.json `oclif.commands`).
    exports.RUNNING_COMMAND = { [argv[0]]: COMMANDS[argv[0]] };
    oclif.commands = { ...pjson.oclif.commands, identifier: 'RUNNING_COMMAND' };
  }
  return { ...pjson, oclif };
}

/** Runs the command through oclif, loaded (with the commands) only now. */
async function runCommand() {
  // Node 22.1+ keeps compiled code on disk between runs for the modules it loads (the packages
  // outside the bundle; NODE_DISABLE_COMPILE_CACHE=1 turns it off); Node 20 has no such cache.
  nodeModule.enableCompileCache?.();
  // Each command keeps the code cache of what it runs (bin/load-bundle.js); anything else (`sop`,
  // help, a plugin's command, a typo) shares one, so a typo leaves no file of its own.
  const word = /^[a-z]+$/.test(argv[0] ?? '') && !argv.includes('--help') ? argv[0] : 'other';
  const bundle = loadQuietly(path.join(__dirname, '..', 'dist', 'bundle', 'sop.cjs'), word);
  const { COMMANDS, errorOutsideCommand, handle, hasValidatedAnew, run, unknownCommandEnvelope, useValidationCache } = bundle.exports;
  const cacheName = Object.hasOwn(COMMANDS, word) ? word : 'other';
  // A command that validated an SOP without a kept verdict compiled the validators, which its usual
  // run (the verdict kept) never needs: its cache is kept aside until such a run writes the lean one.
  // `sop validate` validates as its usual case.
  const saveCache = () => bundle.saveCache(cacheName, { aside: cacheName !== 'validate' && hasValidatedAnew() });
  // Validated SOPs are kept beside the code cache, for this very code (src/cli/validation-cache.ts).
  useValidationCache(bundle.cacheFolder, bundle.codeId);
  try {
    await run(argv, { root, pjson: pjsonFor(bundle.exports), userPlugins: false, devPlugins: false, jitPlugins: false });
    saveCache();
    exitAfterFlush(0);
  } catch (error) {
    saveCache();
    // oclif's errors are known by their `oclif` field, not their class: a plugin's command (sop
    // autocomplete) throws those of its own copy of oclif, not the bundle's.
    if (error?.oclif && error.code === 'EEXIT') {
      exitAfterFlush(error.oclif.exit ?? 0);
    } else if (error?.oclif) {
      // oclif's own errors outside a command (unknown command, a plugin command's parse error): one
      // line, usage exit code, and with --json the envelope every command prints
      // (schemas/cli-envelope.v1.schema.json), of no command (of the command when it was only given
      // an argument too many, `sop runs extra`).
      const exitCode = error.oclif?.exit ?? 2;
      const { message, hint, command } = errorOutsideCommand(error, argv, [...Object.keys(COMMANDS), 'autocomplete', 'help']);
      process.stderr.write(`error USAGE: ${message}\n  hint: ${hint}\n`);
      if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(unknownCommandEnvelope(message, exitCode, hint, command !== undefined && Object.hasOwn(COMMANDS, command) ? command : null), null, 2)}\n`);
      exitAfterFlush(exitCode);
    } else if (argv.includes('--debug')) {
      await handle(error);
    } else {
      process.stderr.write(`internal error: ${error?.message ?? error} (rerun with --debug for the stack)\n`);
      exitAfterFlush(1);
    }
  }
}

if (argv[0] === '--version' || argv[0] === '-v') {
  // oclif's version line (first argument only, as oclif reads it), without loading oclif (~100 ms).
  process.stdout.write(`${pjson.name}/${pjson.version} ${platform()}-${arch()} node-${process.version}\n`);
  exitAfterFlush(0);
} else {
  // Any failure is handled inside (a message and an exit code); nothing reaches here.
  void runCommand();
}
