import { Args, Flags } from '@oclif/core';
import path from 'node:path';
import type { ResolvedConfig } from '../../config/index.js';
import { shownPath } from '../../files/shown-path.js';
import type { SopLock } from '../../lock/index.js';
import { quoteArgument } from '../../runtime/shell-argument.js';
import type { ResolvedSop } from '../../spec/resolved.js';
import { SopCommand } from '../base-command.js';
import { firstProblems, plural, SopError } from '../../errors/index.js';

/** `sop lock --json`'s result: the lock file, whether it was written or checked, and the lock as computed now. */
export interface LockResult {
  lockFile: string;
  action: 'written' | 'checked';
  lock: SopLock;
}

export default class Lock extends SopCommand<LockResult> {
  static override summary = 'Pin an SOP: write sop.lock with the sha256 of the SOP and every file it references, its runner range and its resolved models.';
  static override description = [
    '`sop run --frozen` then refuses to run (exit 12) when the lock is missing or anything drifted: the SOP, a prompt, schema, template or partial (changed, missing or added), or the model a reference resolves to.',
    'Models are resolved like `sop run` does (--model, the SOP, the configuration), without network. Commit sop.lock with the SOP.',
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> lock examples/ci/release-notes/sop.yaml',
    '<%= config.bin %> lock my.yaml --model openai:gpt-4o-mini',
    '<%= config.bin %> lock my.yaml --check',
  ];
  static override args = {
    file: Args.string({ description: 'SOP file.', required: true }),
  };
  static override flags = {
    model: Flags.string({ description: 'The --model the pinned runs will use (resolved into the lock).' }),
    provider: Flags.string({ description: 'Provider of bare model names (as for `sop run`).' }),
    lock: Flags.string({ description: 'Lock file (default: sop.lock next to the SOP).' }),
    check: Flags.boolean({ description: 'Write nothing: exit 0 when the lock is current, 12 naming each drifted file otherwise.' }),
  };

  async run(): Promise<LockResult> {
    const { args, flags } = await this.parse(Lock);
    const { loadRunConfig } = await import('../model-choice.js');
    const config = await loadRunConfig(
      { cache: true, ...(flags.model === undefined ? {} : { model: flags.model }), ...(flags.provider === undefined ? {} : { provider: flags.provider }) },
      process.cwd(),
      process.env,
    );
    const { loadResolvedSop } = await import('../../spec/index.js');
    const { sop } = await loadResolvedSop(args.file);
    // A --provider no model takes (a typo among them) would pin the models without it, silently: refused as `sop run` refuses it.
    await (await import('../model-choice.js')).refuseIdleProvider(config, sop, flags.provider, { subject: 'the lock' });
    const lockFile = lockFileOf(sop, flags.lock);
    if (flags.check) {
      const current = await verifyFrozenSop(sop, config, { sopDisplay: args.file, sopCommand: this.sopCommand, ...(flags.lock === undefined ? {} : { lock: flags.lock }) }).catch(async (error: unknown) => {
        // A CI step of its own, as `sop run --frozen` is: the same annotation at each drifted file.
        await annotateRefusal(error, lockFile);
        throw error;
      });
      this.note(`${shownPath(lockFile)} is current: ${args.file}, its ${plural(Object.keys(current.files).length, 'referenced file')} and its models match`);
      return { lockFile: shownPath(lockFile), action: 'checked', lock: current };
    }
    const lock = await currentLock(sop, config, lockFile);
    const { writeLockFile } = await import('../../lock/index.js');
    try {
      writeLockFile(lockFile, lock);
    } catch (error) {
      const { namingFlag } = await import('../../files/index.js');
      throw namingFlag(error, '--lock', flags.lock !== undefined);
    }
    const models = Object.entries(lock.models).map(([reference, model]) => (reference === model ? model : `${reference} → ${model}`));
    this.note(`wrote ${shownPath(lockFile)}: ${lock.sop.path} and ${plural(Object.keys(lock.files).length, 'referenced file')}; models: ${models.join(', ')}`);
    for (const unpinned of (await import('../../lock/index.js')).unpinnedServers(sop)) {
      const server = sop.mcpServers[unpinned.server];
      const { file, line, column } = server?.fieldOrigins?.[unpinned.field] ?? server?.origin ?? { file: args.file, line: 1, column: 1 };
      this.warning(`${file}:${line}:${column}: MCP server ${unpinned.server} runs \`${[unpinned.runner, unpinned.flag, unpinned.spec].filter(Boolean).join(' ')}\`, whatever version ${unpinned.resolver} resolves when a run starts: ${shownPath(lockFile)} cannot pin it; name an exact version in its command (\`${unpinned.pinned}\`; ${unpinned.versions})`);
    }
    return { lockFile: shownPath(lockFile), action: 'written', lock };
  }
}

/**
 * Under GitHub Actions, an `::error` (on stderr) at each problem of a refused `sop lock --check`
 * (as many as the text lists, which counts the rest), or at the lock file.
 */
async function annotateRefusal(error: unknown, lockFile: string): Promise<void> {
  const { githubActions } = await import('../annotation-base.js');
  const github = githubActions();
  if (!github || !(error instanceof SopError)) return;
  const { diagnosticAnnotation, formatAnnotation } = await import('../../reporting/index.js');
  const problems = error.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const lines = problems.length > 0
    ? firstProblems(problems).shown.map((diagnostic) => diagnosticAnnotation(diagnostic, github.base))
    : [formatAnnotation('error', error.code, `${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`, { file: lockFile }, github.base)];
  process.stderr.write(lines.map((line) => `${line}\n`).join(''));
}

/** Options of `verifyFrozenSop`. */
export interface FrozenOptions {
  /** The SOP as the user named it (messages, hints). */
  sopDisplay: string;
  /** `--lock FILE`; default `sop.lock` next to the SOP. */
  lock?: string;
  /** How the hints type `sop` (`SopCommand.sopCommand`). */
  sopCommand: string;
}

/**
 * `sop run --frozen` and `sop lock --check`: throws LOCK_MISSING / LOCK_INVALID / LOCK_DRIFT
 * (exit 12) unless the SOP, every file it references and its resolved models match the lock.
 * Returns the lock as computed now.
 */
export async function verifyFrozenSop(sop: ResolvedSop, config: ResolvedConfig, options: FrozenOptions): Promise<SopLock> {
  const { assertNoDrift, readLockFile } = await import('../../lock/index.js');
  const lockFile = lockFileOf(sop, options.lock);
  // The command that pins the SOP again, into the same lock file and with the same --model (which
  // names every model resolved now), typed as the user types `sop`.
  const modelFlag = config.sourceOf(['default_model']) === 'flag:--model' ? config.get(['default_model']) : undefined;
  const lockCommand = [
    `${options.sopCommand} lock`,
    quoteArgument(options.sopDisplay),
    ...(options.lock === undefined ? [] : ['--lock', quoteArgument(options.lock)]),
    ...(typeof modelFlag === 'string' ? ['--model', quoteArgument(modelFlag)] : []),
  ].join(' ');
  const locked = readLockFile(shownPath(lockFile), options.sopDisplay, lockCommand);
  const current = await currentLock(sop, config, lockFile);
  // `--model` lands in default_model with this source (`loadRunConfig`): it named every model resolved now.
  // A configuration file's script default model is named by that file and field.
  const configScript = (await import('../config-script-setting.js')).configScriptSetting(config);
  const modelsFrom = config.sourceOf(['default_model']) === 'flag:--model' ? 'flag' : configScript ? { model: configScript.model, setting: `\`${configScript.setting}\` (${configScript.at})` } : 'sop-or-config';
  assertNoDrift(locked, current, { lockFile, sopDisplay: options.sopDisplay, lockCommand, display: (file) => shownPath(file), modelsFrom });
  return current;
}

/** The lock of the SOP as it is now, models resolved with the configuration (and its --model). */
async function currentLock(sop: ResolvedSop, config: ResolvedConfig, lockFile: string): Promise<SopLock> {
  const [{ createLock, lockedModels }, { chooseModel }, { plannedModelRefs }, { RUNNER_VERSION }] = await Promise.all([
    import('../../lock/index.js'),
    import('../../providers/model-ref.js'),
    import('../../runtime/models.js'),
    import('../../version.js'),
  ]);
  const models = lockedModels(plannedModelRefs(sop), (ref) => chooseModel(config, ref));
  return createLock({ sop, lockFile, models, runnerVersion: RUNNER_VERSION });
}

function lockFileOf(sop: ResolvedSop, flag: string | undefined): string {
  return flag === undefined ? path.join(sop.dir, 'sop.lock') : path.resolve(flag);
}
