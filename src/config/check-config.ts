import type { Diagnostic } from '../errors/index.js';
import { SopError } from '../errors/index.js';
import { joinPointer } from '../spec/pointer.js';
import { didYouMean, listNames } from '../spec/suggest.js';
import { BUILTIN_PROVIDERS, type ResolvedConfig } from './resolved-config.js';

/** Names that are not providers or aliases of your own: `offline` is the built-in model. */
const RESERVED = 'offline';
/** `script:FILE` is the scripted model (docs/scripted-model.md). */
const SCRIPT = 'script';

/**
 * Rules the schema cannot say, checked on the merged configuration (a provider's `kind` may come
 * from the user file and its key from the project): each provider has a known kind, built-in names
 * keep their own kind, and `offline` is not redefined. Located at the file and line of the value.
 */
export function checkConfig(config: ResolvedConfig): void {
  const problems: Diagnostic[] = [];
  const add = (path: string[], message: string, expected: string, hint: string): void => {
    const origin = config.originOf(path);
    problems.push({
      code: 'CONFIG_INVALID', severity: 'error', message, expected, hint, pointer: joinPointer('', ...path),
      ...(origin?.file ? { file: origin.file, ...(origin.line ? { line: origin.line, column: origin.column ?? 1 } : {}) } : {}),
    });
  };
  const builtins: readonly string[] = BUILTIN_PROVIDERS;
  for (const name of config.providerNames()) {
    const kind = config.get(['providers', name, 'kind']);
    if (name === RESERVED) {
      add(['providers', name], '`offline` is the built-in model, not a provider to configure', 'another provider name', 'remove `providers.offline`');
    } else if (name === SCRIPT) {
      add(['providers', name], '`script` is the scripted model (`script:FILE`), not a provider to configure', 'another provider name', 'rename the provider');
    } else if (builtins.includes(name) && kind !== undefined && kind !== name) {
      add(['providers', name, 'kind'], `provider \`${name}\` is built in with kind \`${name}\`, not \`${String(kind)}\``, `kind: ${name} (or no kind)`,
        `give the ${String(kind)} endpoint another name, e.g. \`my-${String(kind)}\``);
    } else if (!builtins.includes(name) && kind === undefined) {
      add(['providers', name], `provider \`${name}\` has no \`kind\``, `kind: one of ${listNames(builtins)}`,
        `an OpenAI-compatible endpoint is \`${name}: { kind: openai, base_url: ..., api_key: "\${env:...}" }\``);
    }
  }
  // A typo here was refused only when a bare model name needed it, mid-way into a run or an eval.
  // Written in a file only: `--provider` and SOP_PROVIDER are told where a model uses them, as before.
  const provider = config.data.default_provider;
  const known = [...new Set([...builtins, ...config.providerNames(), RESERVED])];
  if (provider !== undefined && !known.includes(provider) && config.originOf(['default_provider'])?.file !== undefined) {
    add(['default_provider'], `default_provider \`${provider}\` is not a provider`, `one of: ${listNames(known)}`,
      didYouMean(provider, known) ?? 'name a built-in provider, one configured under `providers:`, or `offline`');
  }
  if (config.data.models && Object.hasOwn(config.data.models, RESERVED)) {
    add(['models', RESERVED], '`offline` is the built-in model and cannot be an alias', 'another alias name', 'rename the alias');
  }
  if (problems.length > 0) throw SopError.fromDiagnostics(problems);
}
