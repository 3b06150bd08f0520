import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { SopError } from '../errors/index.js';
import { checkRoundLimit, MAX_ROUNDS } from '../spec/limits.js';
import type { RunOptions } from '../runtime/types.js';

/** Where run records go unless `--runs-dir` says otherwise (as `runSop`'s default). */
const DEFAULT_RUNS_DIR = path.join('.sop', 'runs');

/** The SOP file and the idea, as `sop run` and `sop prompts` take them. */
export const sopFileAndIdeaArgs = {
  file: Args.string({ description: 'SOP file.', required: true }),
  idea: Args.string({ description: 'Value of the `idea` input (the SOP must declare it, or have no inputs block).' }),
};

/** `--input name=value`, as `sop run` and `sop prompts` take it. */
export const inputFlag = Flags.string({ char: 'i', description: 'An input as name=value (repeatable); name=@FILE gives it the text of FILE (@@ for a value starting with @).', multiple: true, multipleNonGreedy: true });

/**
 * The options of a run, declared once: `sop run` takes them all, `sop resume` the ones in
 * `RESUME_FLAGS` (the very same definitions, so a flag both take means the same in both). The rest
 * are fixed when the run starts and kept in its record, so a resumed run stays the run it was:
 * `RUN_ONLY_FLAGS` says why for each (printed by `sop resume --help`).
 */
export const runFlags = {
  model: Flags.string({
    description: 'Model for every call: provider:model (openai:gpt-4o-mini, ollama:llama3.2, anthropic:claude-sonnet-4-5), an alias from the config, offline, or script:FILE (scripted answers, docs/scripted-model.md).',
  }),
  provider: Flags.string({ description: 'Provider of bare model names (gpt-4o, llama3.2) (overrides default_provider); refused when no model of the run is a bare name (give --model NAME with it).' }),
  cache: Flags.boolean({ description: 'Answer repeated requests from the response cache (default on; --no-cache turns it off).', allowNo: true, default: true }),
  'cache-dir': Flags.string({ description: 'Folder of the response cache (default .sop/cache).' }),
  record: Flags.string({ description: 'Record every model exchange to this cassette file (turns the cache off).', exclusive: ['replay'] }),
  replay: Flags.string({ description: 'Answer every model call from this cassette only: no network, no key.', exclusive: ['record'] }),
  workspace: Flags.string({ description: 'Folder artifacts are written to (default: workspace/<sop name>).' }),
  'runs-dir': Flags.string({ description: 'Folder of run records.', default: DEFAULT_RUNS_DIR }),
  'n-round': roundLimitFlag('Most rounds in all (overrides settings.n_round; on resume, rounds already run count and the default is the run\'s).'),
  investment: Flags.custom<number>({
    description: 'Budget in USD for the whole run (overrides settings.investment; on resume, cost already spent counts and the default is the run\'s).',
    parse: async (text) => parsePositiveNumber(text, '--investment'),
  })(),
  durability: Flags.option({
    description: 'What the run record survives: process (a crash or kill of sop; a new run\'s default) or machine (also power loss: each write is fsynced, slower). On resume, the default is the run\'s.',
    options: ['process', 'machine'] as const,
  })(),
  quiet: Flags.boolean({ char: 'q', description: 'No progress output; only the final status.' }),
  // CI (docs/ci.md)
  ci: Flags.boolean({ description: 'CI mode: never prompts, plain progress lines on stderr, no live status line or colours (also when CI=true).' }),
  junit: Flags.string({ description: 'Write a JUnit XML report: each action run, foreach item and gate check a test case, a suite per role.' }),
  events: Flags.string({ description: 'Write every run event as NDJSON, as it happens, to this file (`-`: stdout, then --json is refused).' }),
  'event-prompts': Flags.boolean({ description: 'Model-call events (--events, the run journal) carry the rendered prompts, and tool-call events the results, secrets masked: see what each role is asked and what its tools gave it. Off by default.' }),
  // Observability (README: Traces, metrics and logs)
  'log-format': logFormatFlag(),
  'metrics-port': metricsPortFlag(),
  'metrics-host': metricsHostFlag(),
};

type RunFlagName = keyof typeof runFlags;

/** The run options `sop resume` takes: the limits, where the records are, and how this process reports. */
export const RESUME_FLAGS = ['runs-dir', 'n-round', 'investment', 'durability', 'quiet', 'ci', 'junit', 'events', 'event-prompts', 'log-format', 'metrics-port', 'metrics-host'] as const satisfies readonly RunFlagName[];

/**
 * `sop resume --sop FILE --workspace DIR`: where the run's SOP and workspace are now, when neither
 * place the run recorded has them (a project moved without its run folder, a runs folder outside
 * the project; `resumePlaces`). Not `sop run`'s `--workspace`, where a new run writes: a resumed run
 * goes on with its own files, found where they are now.
 */
export const resumePlaceFlags = {
  sop: Flags.string({
    description: 'The run\'s SOP file where it is now, when it is at neither place the run recorded (the same text as run: another is refused unless --allow-changed-sop).',
    helpValue: 'FILE',
  }),
  workspace: Flags.string({
    description: 'The run\'s workspace where it is now (the folder holding the files its rounds wrote), when it is at neither place the run recorded.',
    helpValue: 'DIR',
  }),
};

/** Why `sop resume` does not take the other run options: each is part of the run, fixed at its start. */
export const RUN_ONLY_FLAGS: Record<Exclude<RunFlagName, (typeof RESUME_FLAGS)[number] | keyof typeof resumePlaceFlags>, string> = {
  model: 'the models are chosen again from the run\'s recorded model options',
  provider: 'part of the recorded model options',
  cache: 'part of the recorded model options',
  'cache-dir': 'part of the recorded model options',
  record: 'part of the recorded model options: a recording run goes on recording to its cassette',
  replay: 'part of the recorded model options: a replayed run goes on replaying its cassette',
};

/**
 * `sop run`'s own flags (not run options): part of the run too, so `sop resume` refuses them as well.
 * `--input` is not among them: `sop resume` takes it for an input recorded masked (`resumeInputFlag`).
 */
export const RUN_COMMAND_FLAGS = {
  inc: { takesValue: false, why: 'incremental mode is one of the run\'s inputs' },
  frozen: { takesValue: false, why: 'the SOP was checked against sop.lock at its start' },
  lock: { takesValue: true, why: 'the SOP was checked against sop.lock at its start' },
} as const;

/** Every flag `sop resume` refuses, and why. */
const REFUSED_BY_RESUME: Record<string, string> = {
  ...RUN_ONLY_FLAGS,
  ...Object.fromEntries(Object.entries(RUN_COMMAND_FLAGS).map(([name, { why }]) => [name, why])),
};

/**
 * Hidden `sop resume` flags for what it refuses, so that `--model x` reads as a refusal with its
 * reason (`refuseRunOnlyFlags`) instead of an unknown flag, a typo. Not in `sop resume --help`'s
 * flag list: its description explains them.
 */
export function refusedResumeFlags(): Record<string, ReturnType<typeof Flags.string> | ReturnType<typeof Flags.boolean>> {
  const takesValue = (name: string): boolean =>
    name in RUN_COMMAND_FLAGS ? RUN_COMMAND_FLAGS[name as keyof typeof RUN_COMMAND_FLAGS].takesValue : runFlags[name as RunFlagName].type !== 'boolean';
  return Object.fromEntries(
    Object.keys(REFUSED_BY_RESUME).map((name) => [
      name,
      takesValue(name) ? Flags.string({ hidden: true, multiple: true }) : Flags.boolean({ hidden: true, allowNo: name === 'cache' }),
    ]),
  );
}

/** Refuses (USAGE) a flag of `refusedResumeFlags` that was given, saying why resume does not take it. */
export function refuseRunOnlyFlags(flags: Record<string, unknown>): void {
  for (const [name, why] of Object.entries(REFUSED_BY_RESUME)) {
    const value = flags[name];
    if (value === undefined) continue;
    throw new SopError('USAGE', `${value === false ? `--no-${name}` : `--${name}`} is fixed when the run started: ${why}`, {
      hint: 'resume without it (the resumed run keeps its own); to change it, start a new run with `sop run`',
    });
  }
}

/**
 * `sop resume --input name=value`: an input whose value was a secret, recorded masked, given again;
 * any other input is in the run's record and refused (`refuseUnmaskedInputs`).
 */
export const resumeInputFlag = Flags.string({
  char: 'i',
  description: 'An input recorded masked (its value was a secret, never recorded), given again as name=value (repeatable); any other input is in the run\'s record and refused.',
  multiple: true,
  multipleNonGreedy: true,
});

/**
 * Refuses (USAGE) an input given to `sop resume` that the run did not record masked: its value is
 * in the run's record, as every input's but a secret's. `masked`: the names recorded masked.
 */
export function refuseUnmaskedInputs(given: Record<string, string>, masked: ReadonlyArray<{ name: string; aliases: readonly string[] }>): void {
  const accepted = new Set(masked.flatMap((input) => [input.name, ...input.aliases]));
  const refused = Object.keys(given).find((name) => !accepted.has(name));
  if (refused === undefined) return;
  const which = masked.length === 0 ? 'this run has none' : `this run's: ${masked.map((input) => input.name).join(', ')}`;
  throw new SopError('USAGE', `--input ${refused} is fixed when the run started: the inputs are in the run's record (only an input recorded masked, a secret, is given again; ${which})`, {
    hint: `resume without --input ${refused}=... (the resumed run keeps its own); to change it, start a new run with \`sop run\``,
  });
}

/** `runFlags` restricted to `RESUME_FLAGS`, the same definition objects. */
export const resumeFlags = Object.fromEntries(RESUME_FLAGS.map((name) => [name, runFlags[name]])) as Pick<typeof runFlags, (typeof RESUME_FLAGS)[number]>;

/** The flags `sop resume` leaves out and why, for its help text. */
export function runOnlyFlagsText(): string {
  const lines = Object.entries(REFUSED_BY_RESUME).map(([name, why]) => `  --${name}: ${why}`);
  return ['Run options fixed when the run started (`sop run` only), so the resumed run is the same run:', ...lines].join('\n');
}

/** The run options both commands take, as `runSop` options. */
export function sharedRunOptions(flags: {
  'n-round'?: number | undefined;
  investment?: number | undefined;
  durability?: 'process' | 'machine' | undefined;
  'event-prompts'?: boolean | undefined;
}): Pick<RunOptions, 'nRound' | 'investment' | 'durability' | 'eventPrompts'> {
  return {
    ...(flags['event-prompts'] ? { eventPrompts: true } : {}),
    ...(flags['n-round'] === undefined ? {} : { nRound: flags['n-round'] }),
    ...(flags.investment === undefined ? {} : { investment: flags.investment }),
    ...(flags.durability === undefined ? {} : { durability: flags.durability }),
  };
}

/** `--log-format`: progress for people, or one JSON object per event for a log store (also SOP_LOG_FORMAT). */
function logFormatFlag() {
  return Flags.option({
    description: 'Progress on stderr: human (default) or json, one JSON object per run event with run_id, round, role, action (and trace_id, span_id when tracing) for Loki or ELK. Default: SOP_LOG_FORMAT, else human.',
    options: ['human', 'json'] as const,
  })();
}

/** `--metrics-port`: a Prometheus endpoint while the command lasts (the long-lived modes use the same flag). */
export function metricsPortFlag() {
  return Flags.integer({ description: 'Serve metrics (tokens, cost, call latency, errors, gate checks) for Prometheus at http://HOST:PORT/metrics while the command runs.', min: 1, max: 65535 });
}

export function metricsHostFlag() {
  return Flags.string({ description: 'Address the --metrics-port endpoint listens on (default 127.0.0.1: this machine only).', dependsOn: ['metrics-port'] });
}

/** `--n-round`: a whole number of rounds within `settings.n_round`'s bound (`sop run`, `sop resume`, `sop prompts`). */
export function roundLimitFlag(description: string) {
  return Flags.custom<number>({ description: `${description} At most ${MAX_ROUNDS}.`, helpValue: 'N', parse: async (text) => checkRoundLimit(text) })();
}

function parsePositiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new SopError('USAGE', `${flag} must be a positive number, got "${text}"`, { hint: `e.g. ${flag} 2.5` });
  }
  return value;
}
