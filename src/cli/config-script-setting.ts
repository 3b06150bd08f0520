import type { ResolvedConfig } from '../config/index.js';
import { isSopError, SopError } from '../errors/index.js';
import { shownPath } from '../files/shown-path.js';

/** A `script:FILE` default model set by a configuration file or the environment, named for messages. */
export interface ConfigScriptSetting {
  /** `default_model: script:answers.yaml`, as the file writes it. */
  setting: string;
  /** Where: `.soprc.yaml:1` (shown relative to the working folder), or `env:SOP_DEFAULT_MODEL`. */
  at: string;
  /** The model reference, `script:answers.yaml`. */
  model: string;
}

/**
 * The configuration's `default_model` when it is a script and no `--model` replaced it: errors about
 * that script name the file and field that chose it, as `--model` errors name the flag. Undefined
 * otherwise (a `--model`, the built-in default, a provider model).
 */
export function configScriptSetting(config: ResolvedConfig): ConfigScriptSetting | undefined {
  const model = config.data.default_model;
  const origin = config.originOf(['default_model']);
  if (typeof model !== 'string' || !model.startsWith('script:') || !origin || origin.kind === 'default' || origin.kind === 'flag:--model') return undefined;
  const at = origin.kind === 'file' && origin.file ? `${shownPath(origin.file)}${origin.line ? `:${origin.line}` : ''}` : origin.kind;
  return { setting: `default_model: ${model}`, at, model };
}

/**
 * `resolve()`, whose "cannot read script" for the configuration's script default model names the
 * file and field that chose it, with a hint to fix that field: its hint spoke of `--model`, which
 * the command was not given. A model the SOP or `--model` names keeps the error as it is.
 */
export function configScriptMissing<T>(config: ResolvedConfig, ref: { name?: string } | undefined, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    const chosen = ref?.name === undefined ? configScriptSetting(config) : undefined;
    // The script file itself could not be read (missing, a folder, unreadable): not a problem inside it, which is located there.
    if (!chosen || !isSopError(error) || error.diagnostics.length > 0 || !error.message.startsWith('cannot read script ')) throw error;
    throw new SopError(error.code, `${error.message} (the script of \`${chosen.setting}\`, ${chosen.at})`, {
      hint: `create it, or set default_model in ${chosen.at} to the path of a script file: default_model: script:path/to/answers.yaml (see docs/scripted-model.md)`,
    });
  }
}
