import path from 'node:path';
import type { ResolvedSop } from '../spec/resolved.js';

/** An MCP server whose package runner (`npx`, `uvx`, ...) names no exact version of a package it fetches. */
export interface UnpinnedServer {
  server: string;
  /** The runner as the command names it (`npx`, `npm exec`, `uv tool run`). */
  runner: string;
  /** What resolves the version when a run starts (`npm`, `uv`). */
  resolver: string;
  /** The package as the command names it (`@modelcontextprotocol/server-memory`, `pkg@latest`, `mcp-server-git>=1`). */
  spec: string;
  /** The flag that named it (`--from`, `-p`), when one did. */
  flag?: string;
  /** Its name without a version. */
  name: string;
  /** What to write instead, in the runner's own syntax (`pkg@X.Y.Z`, `pkg==X.Y.Z`). */
  pinned: string;
  /** How to find the versions there are (`npm view pkg version` gives the newest). */
  versions: string;
  /** The command's part that names it (`command/2`, a key of the server's `fieldOrigins`). */
  field: string;
}

type Registry = 'npm' | 'PyPI';

/** How one package runner names the packages it fetches, and how its registry pins one. */
interface PackageRunner {
  /** The runner as a warning names it. */
  label: string;
  /** Its program (the file name, `.cmd`/`.exe` aside) and the subcommand words that make it a runner. */
  program: string;
  subcommand: readonly string[];
  resolver: string;
  registry: Registry;
  /** Flags whose value is a package to run (repeatable: `npx -p a -p b cmd`); given, the first plain word is the command, no package. */
  packageFlags: readonly string[];
  /** Flags whose value is a package fetched beside the one run (`uvx --with`): the first plain word stays a package. */
  extraPackageFlags: readonly string[];
  /** Flags read with the next word as their value (`--registry URL`): that word is no package. */
  valueFlags: readonly string[];
  /** What goes between a name and its exact version, named as a plain word and as a flag's value. */
  pin: { word: '@' | '=='; flag: '@' | '==' };
}

const NPM_VALUE_FLAGS = ['--registry', '--cache', '--userconfig', '--prefix', '--loglevel', '--node-options', '--script-shell', '--workspace', '-w', '--call', '-c'];
const UV_VALUE_FLAGS = [
  '--python', '-p', '--index', '--index-url', '-i', '--extra-index-url', '--default-index', '--find-links', '-f', '--with-requirements', '--with-editable',
  '--constraints', '-c', '--overrides', '--build-constraints', '-b', '--directory', '--project', '--config-file', '--cache-dir', '--env-file', '--resolution',
  '--prerelease', '--exclude-newer', '--index-strategy', '--keyring-provider', '--link-mode', '--color', '--config-setting', '-C', '--python-platform',
];
const npmRunner = (label: string, program: string, subcommand: readonly string[], resolver: string, valueFlags: readonly string[], packageFlags = ['--package', '-p']): PackageRunner =>
  ({ label, program, subcommand, resolver, registry: 'npm', packageFlags, extraPackageFlags: [], valueFlags, pin: { word: '@', flag: '@' } });
const uvRunner = (label: string, program: string, subcommand: readonly string[]): PackageRunner =>
  // uv takes `pkg@1.2.3` as the tool to run, a requirement (`pkg==1.2.3`) after --from and --with.
  ({ label, program, subcommand, resolver: 'uv', registry: 'PyPI', packageFlags: ['--from'], extraPackageFlags: ['--with'], valueFlags: UV_VALUE_FLAGS, pin: { word: '@', flag: '==' } });

/** The runners an MCP server's `command` may start it with, each with its own flags and pin syntax. */
const PACKAGE_RUNNERS: readonly PackageRunner[] = [
  npmRunner('npx', 'npx', [], 'npm', NPM_VALUE_FLAGS),
  npmRunner('npm exec', 'npm', ['exec'], 'npm', NPM_VALUE_FLAGS),
  npmRunner('npm x', 'npm', ['x'], 'npm', NPM_VALUE_FLAGS),
  npmRunner('pnpm dlx', 'pnpm', ['dlx'], 'pnpm', ['--dir', '-C', '--reporter', '--allow-build'], ['--package']),
  npmRunner('pnpx', 'pnpx', [], 'pnpm', ['--dir', '-C', '--reporter', '--allow-build'], ['--package']),
  npmRunner('yarn dlx', 'yarn', ['dlx'], 'yarn', []),
  npmRunner('bunx', 'bunx', [], 'bun', []),
  npmRunner('bun x', 'bun', ['x'], 'bun', []),
  uvRunner('uvx', 'uvx', []),
  uvRunner('uv tool run', 'uv', ['tool', 'run']),
  { label: 'pipx run', program: 'pipx', subcommand: ['run'], resolver: 'pipx', registry: 'PyPI', packageFlags: ['--spec'], extraPackageFlags: [], valueFlags: ['--python', '--index-url', '-i', '--pip-args', '--backend'], pin: { word: '==', flag: '==' } },
];

/** A package a runner's command names, where, and whether a flag gave it. */
interface NamedPackage {
  spec: string;
  index: number;
  flag?: string;
}

/**
 * The MCP servers started by a package runner (`npx PACKAGE`, `uvx PACKAGE`, `pipx run --spec
 * PACKAGE`, ...) that names a package without an exact version: the runner fetches whatever its
 * registry resolves when the run starts, so `sop.lock` pins the SOP but not the server a `--frozen`
 * run calls. A path or URL (`./server.js`, `github:...`, `git+https://...`) is no registry package.
 */
export function unpinnedServers(sop: ResolvedSop): UnpinnedServer[] {
  const found: UnpinnedServer[] = [];
  for (const server of Object.values(sop.mcpServers)) {
    const run = runnerPackages(server.command);
    if (!run) continue;
    for (const named of run.packages) {
      if (/^[./~]|:|\.(?:whl|tgz|tar\.gz|zip)$/.test(named.spec)) continue;
      const { name, exact } = (run.runner.registry === 'npm' ? npmVersion : pypiVersion)(named.spec);
      if (exact || name === '') continue;
      const separator = named.flag === undefined ? run.runner.pin.word : run.runner.pin.flag;
      found.push({
        server: server.name, runner: run.runner.label, resolver: run.runner.resolver, spec: named.spec, name, ...(named.flag === undefined ? {} : { flag: named.flag }),
        pinned: `${name}${separator}X.Y.Z`,
        versions: run.runner.registry === 'npm' ? `\`npm view ${name} version\` gives the newest` : `\`pip index versions ${name}\` lists them`,
        field: `command/${named.index}`,
      });
    }
  }
  return found;
}

/** `1.2.3`, `2025.8.4`, `1.0.0-rc.1`: one version, not a range or a tag. */
const EXACT_NPM_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;

function npmVersion(spec: string): { name: string; exact: boolean } {
  const at = spec.indexOf('@', 1);
  return at === -1 ? { name: spec, exact: false } : { name: spec.slice(0, at), exact: EXACT_NPM_VERSION.test(spec.slice(at + 1)) };
}

/** A PyPI requirement's name (extras aside) and what follows it. */
const PYPI_REQUIREMENT = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$/;
/** `==1.2.3`, `===1.2`, uv's `@1.2.3`: one version (`==1.*`, `>=1`, `@latest` are not). */
const EXACT_PYPI_VERSION = /^(?:===?|@)\s*v?\d[\w.+!-]*$/;

function pypiVersion(spec: string): { name: string; exact: boolean } {
  const [, name = '', rest = ''] = PYPI_REQUIREMENT.exec(spec) ?? [];
  return { name, exact: EXACT_PYPI_VERSION.test(rest.trim()) };
}

/** The runner a command starts (none for another program) and the packages it names. */
function runnerPackages(command: readonly string[] | undefined): { runner: PackageRunner; packages: NamedPackage[] } | undefined {
  if (!command || command.length === 0) return undefined;
  // win32's basename takes `/` and `\` alike: `C:\nodejs\npx.cmd` in an SOP written on Windows.
  const program = path.win32.basename(command[0] as string).replace(/\.(?:cmd|exe|ps1)$/i, '').toLowerCase();
  for (const runner of PACKAGE_RUNNERS) {
    if (runner.program !== program) continue;
    const packages = namedPackages(runner, command);
    if (packages) return { runner, packages };
  }
  return undefined;
}

/**
 * The packages `runner` fetches for `command`: each package flag's value, and the first plain word
 * after the subcommand unless a package flag named what to run. Undefined when the subcommand is
 * another (`npm install`). Words after that first one are the command's own arguments.
 */
function namedPackages(runner: PackageRunner, command: readonly string[]): NamedPackage[] | undefined {
  const packages: NamedPackage[] = [];
  let subcommand = 0;
  let runsFlagPackage = false;
  let flagsEnded = false;
  for (let index = 1; index < command.length; index += 1) {
    const part = command[index] as string;
    if (!flagsEnded && part === '--') {
      flagsEnded = true;
      continue;
    }
    if (!flagsEnded && part.startsWith('-')) {
      const [flag, inline] = part.includes('=') ? [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)] : [part, undefined];
      const isPackage = runner.packageFlags.includes(flag);
      if (isPackage || runner.extraPackageFlags.includes(flag)) {
        const value = inline ?? command[index + 1];
        const at = inline === undefined ? index + 1 : index;
        if (inline === undefined) index += 1;
        if (value !== undefined) packages.push(...listedPackages(value).map((spec) => ({ spec, index: at, flag })));
        runsFlagPackage ||= isPackage;
      } else if (inline === undefined && runner.valueFlags.includes(flag)) index += 1;
      continue;
    }
    if (subcommand < runner.subcommand.length) {
      if (part !== runner.subcommand[subcommand]) return undefined;
      subcommand += 1;
      continue;
    }
    if (!runsFlagPackage) packages.push({ spec: part, index });
    break;
  }
  return subcommand === runner.subcommand.length ? packages : undefined;
}

/** uv's `--with a,b` names two packages; `pkg>=1,<2` is one requirement (its second part names none). */
function listedPackages(value: string): string[] {
  const parts = value.split(',').map((part) => part.trim());
  return parts.length > 1 && parts.every((part) => /^[A-Za-z0-9@]/.test(part)) ? parts : [value];
}
