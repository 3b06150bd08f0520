import path from 'node:path';
import { shownPath } from '../files/index.js';
import type { ResolvedInput } from '../spec/resolved.js';
import { isSecretKey } from '../spec/secret-names.js';
import type { Checkpoint } from './checkpoint.js';
import { DEFAULT_SOP_COMMAND } from './resume-target.js';
import { inputFlag, typedBack } from './run-command-hint.js';
import { quoteArgument } from './shell-argument.js';

/**
 * The `sop run` command that starts a run like `checkpoint`'s again: its SOP and every input it
 * was given, so a user can copy it. An input recorded masked (a secret) or named like one
 * (`api_key`) gets a placeholder, `--input NAME=...`, never its value or its recorded `***`. With `declared` (the SOP's inputs), an input is
 * named once (not under each alias) and one left at its default is not repeated. An input in
 * `givenFiles` (by its name) is given as `@FILE`, the file the user named: a file input's, not its
 * workspace copy; a text input's (`--input spec=@spec.md`), not the file's whole text.
 * A workspace other than the one a run started from `cwd` takes by default (`workspace/NAME`) is
 * given as `--workspace`; the model flags it was started with (`--model`, `--provider`, ...) follow.
 * `sopCommand`: how `sop` is typed (`RunOptions.sopCommand`).
 */
export function rerunCommand(checkpoint: Checkpoint, declared?: readonly ResolvedInput[], givenFiles: Readonly<Record<string, string>> = {}, sopCommand: string = DEFAULT_SOP_COMMAND, cwd: string = process.cwd()): string {
  const masked = new Set(checkpoint.maskedInputs ?? []);
  const flags: string[] = [];
  for (const [name, value] of inputsToGive(checkpoint.inputs, declared)) {
    // A file input's recorded value is its copy's workspace path; `sop run` takes the file the user gave.
    // An input read from a file (`@FILE`, a secret's too: the file's name is no secret) is given as that file, not its text.
    const fromFile = Object.hasOwn(givenFiles, name) ? givenFiles[name] : undefined;
    const file = declared?.find((input) => input.name === name)?.type === 'file';
    // Quoted as every other hint quotes an input (`--input topic='rust async'`): the value alone.
    flags.push(inputFlag(name, typedBack(inputText(value), file, fromFile), fromFile === undefined && (masked.has(name) || isSecretKey(name))));
  }
  if (path.resolve(checkpoint.workspace) !== path.resolve(cwd, 'workspace', checkpoint.sop.name)) flags.push(`--workspace ${quoteArgument(shownPath(checkpoint.workspace, cwd))}`);
  flags.push(...modelFlags(checkpoint.options.model ?? {}));
  return [`${sopCommand} run`, quoteArgument(checkpoint.sop.displayPath), ...flags].join(' ');
}

/**
 * The model flags the run was started with (`RunSettings.model`, as `sop run` records them), so the
 * new run calls the models the first did. `--record` is left out: it would write over the first
 * run's cassette.
 */
function modelFlags(recorded: Record<string, unknown>): string[] {
  const flags: string[] = [];
  for (const [key, flag] of [['model', '--model'], ['provider', '--provider'], ['cacheDir', '--cache-dir'], ['replay', '--replay']] as const) {
    const value = recorded[key];
    if (typeof value === 'string') flags.push(`${flag} ${quoteArgument(value)}`);
  }
  if (recorded['cache'] === false) flags.push('--no-cache');
  return flags;
}

function inputsToGive(recorded: Record<string, unknown>, declared: readonly ResolvedInput[] | undefined): Array<[string, unknown]> {
  if (!declared) return Object.entries(recorded);
  const given: Array<[string, unknown]> = [];
  for (const input of declared) {
    const name = [input.name, ...input.aliases].find((each) => each in recorded);
    if (name === undefined) continue;
    const value = recorded[name];
    if (input.default !== undefined && JSON.stringify(input.default) === JSON.stringify(value)) continue;
    given.push([input.name, value]);
  }
  return given;
}

function inputText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
