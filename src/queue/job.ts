import { createHash } from 'node:crypto';
import path from 'node:path';
import { SopError } from '../errors/index.js';
import { compileSchema, formatSchemaErrors } from '../spec/json-schemas.js';
import { MAX_ROUNDS } from '../spec/limits.js';
import { SEALED_PATTERN } from './sealed-inputs.js';

/**
 * A queued run, as a BullMQ job carries it. Everything else a worker needs is in Redis under the
 * queue's keys: the SOP bundle (by `bundle` hash), the run's journal and workspace files.
 */
export interface RunJobData {
  v: 1;
  runId: string;
  /** sha256 of the SOP bundle (`SopBundle.hash`). */
  bundle: string;
  /** The SOP's name, for listings. */
  sop: string;
  /** The inputs in clear: every one but the secret ones (`sealed`). */
  inputs: Record<string, string | number | boolean>;
  /** Secret inputs (named like a secret: `api_key`, `*_token`), sealed with SOP_QUEUE_KEY by input name (`sealInputs`); opened by the worker. */
  sealed?: Record<string, string>;
  /** How the submitter chose models (`sop run`'s model flags); the worker's configuration supplies keys and endpoints. */
  models: { model?: string; provider?: string };
  nRound?: number;
  investment?: number;
  /** `--event-prompts`: model-call events (the journal, the progress the submitter writes with --events) carry the prompts. */
  eventPrompts?: boolean;
  /** `sop resume RUN --queue URL --approve|--reject`: the decision for the human gates the run awaits. */
  decision?: { kind: 'approve' } | { kind: 'reject'; feedback: string };
}

/**
 * Where a `script:FILE` model's script travels in the bundle, by the reference's FILE (as the
 * submitter's `--model` or SOP names it, relative to the submitter's folder): the worker reads a
 * `script:` model from this path of the run's bundle and nowhere else, so a job never makes a
 * worker read one of its own files as a script.
 */
export function scriptBundlePath(file: string): string {
  const name = path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_').slice(-64);
  return `${SCRIPT_DIR}/${createHash('sha256').update(file).digest('hex').slice(0, 16)}-${name}`;
}

const SCRIPT_DIR = '.sop-script';

/** A job's data larger than this (JSON) fails that job; a run's inputs belong in it, files in the bundle. */
export const JOB_MAX_BYTES = 2 * 1024 * 1024;

const STRING = { type: 'string', maxLength: 1024 * 1024 };

/** The job's JSON Schema: closed objects, bounded sizes (a job is untrusted input, as an SOP file is). */
export const RUN_JOB_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['v', 'runId', 'bundle', 'sop', 'inputs', 'models'],
  additionalProperties: false,
  properties: {
    v: { const: 1 },
    runId: { type: 'string', pattern: '^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$' },
    bundle: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    sop: { type: 'string', maxLength: 200 },
    inputs: {
      type: 'object',
      maxProperties: 100,
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
      additionalProperties: { anyOf: [STRING, { type: 'number' }, { type: 'boolean' }] },
    },
    sealed: {
      type: 'object',
      maxProperties: 100,
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
      // A sealed STRING: its JSON in base64url, with the version, IV and tag before it.
      additionalProperties: { type: 'string', maxLength: 1_500_000, pattern: SEALED_PATTERN },
    },
    models: {
      type: 'object',
      additionalProperties: false,
      properties: { model: { type: 'string', maxLength: 500 }, provider: { type: 'string', maxLength: 100 } },
    },
    // The same bound as `--n-round` and `settings.n_round`: a limit the CLI accepts is never refused as a bad job.
    nRound: { type: 'integer', minimum: 1, maximum: MAX_ROUNDS },
    investment: { type: 'number', minimum: 0 },
    eventPrompts: { type: 'boolean' },
    decision: {
      oneOf: [
        { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { const: 'approve' } } },
        { type: 'object', required: ['kind', 'feedback'], additionalProperties: false, properties: { kind: { const: 'reject' }, feedback: { type: 'string', maxLength: 100_000 } } },
      ],
    },
  },
} as const;

/**
 * Checks a job's data before anything is done with it; refused with `QUEUE_JOB_INVALID` naming
 * each broken field (that job fails; the worker goes on with the next).
 */
export function readRunJob(data: unknown, jobId: string | undefined): RunJobData {
  const text = JSON.stringify(data) ?? '';
  if (text.length > JOB_MAX_BYTES) {
    throw new SopError('QUEUE_JOB_INVALID', `job ${jobId ?? '?'}: ${text.length} bytes of data, more than ${JOB_MAX_BYTES}`, { hint: 'submit runs with `sop run FILE --queue URL`' });
  }
  const compiled = compileSchema(RUN_JOB_SCHEMA as unknown as Record<string, unknown>, 'strict');
  if ('error' in compiled) throw new SopError('INTERNAL', `the job schema does not compile: ${compiled.error}`);
  if (!compiled.validate(data)) {
    const errors = formatSchemaErrors(compiled.validate.errors ?? []).slice(0, 10);
    throw new SopError('QUEUE_JOB_INVALID', `job ${jobId ?? '?'} is not a run job: ${errors.join('; ')}`, {
      hint: 'submit runs with `sop run FILE --queue URL`; a job made by hand must match RUN_JOB_SCHEMA (src/queue/job.ts)',
    });
  }
  return data as RunJobData;
}
