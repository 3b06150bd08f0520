import { SopError } from '../errors/index.js';
import type { SecretMask } from '../providers/redact.js';
import type { ResolvedInput, ResolvedSop } from '../spec/resolved.js';
import type { Checkpoint } from './checkpoint.js';
import { planFileInputs } from './file-inputs.js';
import { coerceInputs, type InputValue } from './inputs.js';
import { resumeCommand } from './resume-target.js';

/** What the secret mask writes in a secret's place (`createRedactor`). */
const MASK = '***';

/**
 * The declared inputs whose values the run's secret mask changed when they were recorded: their
 * record holds `***`, never the value, so a resume must be given them again. `inputs` as the run
 * holds them (under every alias); `redact` the mask the record is written with.
 */
export function maskedInputsOf(sop: ResolvedSop, inputs: Record<string, unknown>, redact: <T>(value: T) => T): string[] {
  const recorded = redact(inputs);
  // The mask returns its argument untouched while it has nothing to mask.
  if (recorded === inputs) return [];
  return sop.inputs.filter((input) => namesOf(input).some((name) => name in inputs && JSON.stringify(recorded[name]) !== JSON.stringify(inputs[name]))).map((input) => input.name);
}

/**
 * The names of the inputs a resume of `checkpoint` must be given again: those its snapshot lists as
 * masked (`maskedInputs`, written since 2026-12-05), or, for a snapshot of an older sop that does
 * not say, those whose recorded value holds the mask (`***`): a value that had it of its own is
 * asked for too, rather than a masked one going on unseen.
 */
export function maskedInputNames(sop: ResolvedSop, checkpoint: Checkpoint): string[] {
  if (checkpoint.maskedInputs) return checkpoint.maskedInputs;
  const names = new Set<string>();
  for (const [name, value] of Object.entries(checkpoint.inputs)) {
    if (holdsMask(value)) names.add(sop.inputs.find((input) => namesOf(input).includes(name))?.name ?? name);
  }
  return [...names];
}

/**
 * Refuses (INPUT_MISSING, exit 2) a resume that is not given every input recorded masked: it would
 * go on with `***` in the secret's place. `given`: the names given (an alias names its input);
 * `sopCommand` how the hint types `sop` (`RunOptions.sopCommand`).
 */
export function refuseMissingMaskedInputs(sop: ResolvedSop, checkpoint: Checkpoint, given: Iterable<string>, sopCommand?: string): void {
  const names = new Set(given);
  const missing = maskedInputNames(sop, checkpoint).filter((name) => !namesOf(declared(sop, name)).some((alias) => names.has(alias)));
  if (missing.length === 0) return;
  const quoted = missing.map((name) => `"${name}"`).join(', ');
  const one = missing.length === 1;
  throw new SopError('INPUT_MISSING', `run ${checkpoint.runId} needs input${one ? '' : 's'} ${quoted} given again: ${one ? 'its value was a secret' : 'their values were secrets'}, recorded as ${MASK} (secrets never reach the run's record), and the run would go on with ${MASK} in ${one ? 'its' : 'their'} place`, {
    hint: `give ${one ? 'it' : 'them'} again, as to \`sop run\`: ${resumeCommand(checkpoint.runId, sopCommand)} ${missing.map((name) => `--input ${name}=...`).join(' ')}`,
  });
}

/**
 * The inputs a resumed run goes on with: the recorded ones, with each input recorded masked taken
 * from `given` (parsed to its declared type, a file input's value its workspace path as when the
 * run started; its file is in the workspace already). Each given value joins `secrets` before it is
 * read, so it is masked wherever it goes, errors about it included. Other names in `given` are not
 * used: the record has them (`sop resume` refuses them). Refused as `refuseMissingMaskedInputs` says.
 */
export function resumedInputs(sop: ResolvedSop, checkpoint: Checkpoint, given: Record<string, InputValue>, secrets: SecretMask, cwd: string, sopCommand?: string): Record<string, unknown> {
  const masked = maskedInputNames(sop, checkpoint);
  if (masked.length === 0) return checkpoint.inputs;
  const inputs = masked.map((name) => declared(sop, name));
  const owned = new Set(inputs.flatMap(namesOf));
  const again = Object.fromEntries(Object.entries(given).filter(([name]) => owned.has(name)));
  secrets.add(Object.values(again).map(String));
  refuseMissingMaskedInputs(sop, checkpoint, Object.keys(again), sopCommand);
  // Each given is required: an input declared with a default of its own is not filled from it here.
  const values = coerceInputs(inputs.map((input) => ({ ...input, required: true, default: undefined })), again, { secrets: 'all' });
  const { inputs: planned } = planFileInputs({ ...sop, inputs }, values, cwd);
  return { ...checkpoint.inputs, ...planned };
}

/** The SOP's declaration of an input by name; a name it no longer declares (`--allow-changed-sop`) stands alone. */
function declared(sop: ResolvedSop, name: string): ResolvedInput {
  return sop.inputs.find((input) => input.name === name) ?? ({ name, type: 'string', required: true, aliases: [] } as ResolvedInput);
}

function namesOf(input: ResolvedInput): string[] {
  return [input.name, ...input.aliases];
}

function holdsMask(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(MASK);
  if (Array.isArray(value)) return value.some(holdsMask);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsMask);
  return false;
}
