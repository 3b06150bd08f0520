import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { SopError } from '../errors/index.js';
import { isSecretInput } from '../runtime/inputs.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { isSecretKey } from '../spec/secret-names.js';

/**
 * Secret inputs of a queued run travel sealed (docs/queue.md, "Secrets"): AES-256-GCM with the key
 * the submitter and the workers share through `SOP_QUEUE_KEY`, bound to the run id and the input's
 * name, so whoever reads the queue's Redis reads no secret, and a sealed value cannot be moved to
 * another run or input.
 */

/** The environment variable that holds the queue key, on the submitter and on every worker. */
export const QUEUE_KEY_VARIABLE = 'SOP_QUEUE_KEY';

/** How to make a key, for messages. */
const MAKE_KEY = `make one with \`openssl rand -base64 32\` and give the same ${QUEUE_KEY_VARIABLE} to the submitters and every worker`;

/** A queue key: a KeyObject, so that printing or serialising it never shows its bytes. */
export interface QueueKey {
  readonly secret: KeyObject;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** `v1.<iv>.<tag>.<ciphertext>`, base64url: the version lets a later format be told apart. */
const SEALED_PREFIX = 'v1';

/**
 * The queue key of `SOP_QUEUE_KEY` (32 bytes as 64 hex digits or base64), or undefined when unset.
 * A malformed or short key is a usage error naming the variable, never showing its value.
 */
export function readQueueKey(env: Readonly<Record<string, string | undefined>>): QueueKey | undefined {
  const text = env[QUEUE_KEY_VARIABLE]?.trim();
  if (text === undefined || text === '') return undefined;
  const bytes = /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes === undefined) {
    throw new SopError('USAGE', `${QUEUE_KEY_VARIABLE} is not a queue key: it must be 32 bytes written as 64 hex digits or in base64 (it is ${text.length} characters, neither)`, { hint: MAKE_KEY });
  }
  if (bytes.length !== KEY_BYTES) {
    throw new SopError('USAGE', `${QUEUE_KEY_VARIABLE} is not a queue key: it holds ${bytes.length} bytes, a queue key is ${KEY_BYTES} (64 hex digits, or 44 base64 characters)`, { hint: MAKE_KEY });
  }
  return { secret: createSecretKey(bytes) };
}

/** The given inputs whose values are secrets: named like one (`api_key`, `*_token`), or a name or alias of an input that is. */
export function secretInputNames(sop: Pick<ResolvedSop, 'inputs'>, inputs: Readonly<Record<string, unknown>>): string[] {
  const secretNames = new Set(sop.inputs.filter(isSecretInput).flatMap((input) => [input.name, ...input.aliases]));
  return Object.keys(inputs).filter((name) => secretNames.has(name) || isSecretKey(name));
}

/**
 * A run with secret inputs cannot be queued without a key to seal them: refused (exit 2) before
 * anything is queued, naming the inputs and the two ways to go on.
 */
export function requireQueueKey(secretNames: readonly string[], key: QueueKey | undefined): void {
  if (secretNames.length === 0 || key !== undefined) return;
  const named = secretNames.map((name) => `"${name}"`).join(', ');
  throw new SopError('USAGE', `input ${named} ${secretNames.length === 1 ? 'is a secret' : 'are secrets'}, and ${QUEUE_KEY_VARIABLE} is not set: a queued run's inputs are kept in the queue's Redis, where a secret travels sealed with that key only`, {
    hint: `set ${QUEUE_KEY_VARIABLE} (32 random bytes: \`openssl rand -base64 32\`) to the same value here and on every worker; or give the workers the value in their own environment, read by the SOP as \${env:NAME} (mcp_servers, HTTP tools' headers), instead of as an input`,
  });
}

/** What binds a sealed value to its run and input (GCM additional data): moved elsewhere, it does not open. */
function boundTo(runId: string, name: string): Buffer {
  return Buffer.from(`sop-queue-input\0${runId}\0${name}`);
}

/**
 * The inputs as a job carries them: the secret ones (`secretNames`) sealed, the rest as given.
 * The value is sealed as JSON, so a number or a boolean opens as one.
 */
export function sealInputs<V>(runId: string, inputs: Readonly<Record<string, V>>, secretNames: readonly string[], key: QueueKey): { inputs: Record<string, V>; sealed: Record<string, string> } {
  const clear: Record<string, V> = {};
  const sealed: Record<string, string> = {};
  const secret = new Set(secretNames);
  for (const [name, value] of Object.entries(inputs)) {
    if (!secret.has(name)) {
      clear[name] = value;
      continue;
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.secret, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(boundTo(runId, name));
    const text = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    sealed[name] = [SEALED_PREFIX, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), text.toString('base64url')].join('.');
  }
  return { inputs: clear, sealed };
}

/** What a sealed value looks like in a job (RUN_JOB_SCHEMA checks it): version, 12-byte IV, 16-byte tag, ciphertext. */
export const SEALED_PATTERN = '^v1\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]*$';

/**
 * A job's inputs with its sealed ones opened, on the worker. A worker without the key, or with
 * another, fails that run with `QUEUE_KEY_MISMATCH` naming the input (never its sealed text);
 * `resumeCommand` continues the run once the worker has the key.
 */
export function openInputs<V>(job: { runId: string; inputs: Readonly<Record<string, V>>; sealed?: Readonly<Record<string, string>> }, key: QueueKey | undefined, resumeCommand: string): Record<string, V> {
  const sealed = Object.entries(job.sealed ?? {});
  if (sealed.length === 0) return { ...job.inputs };
  const names = sealed.map(([name]) => `"${name}"`).join(', ');
  const fix = `give this worker the ${QUEUE_KEY_VARIABLE} the run was submitted with (the same on the submitters and every worker), then continue the run: ${resumeCommand}`;
  if (key === undefined) {
    throw new SopError('QUEUE_KEY_MISMATCH', `run ${job.runId}: its secret input ${names} is sealed with the submitter's ${QUEUE_KEY_VARIABLE}, and this worker has no ${QUEUE_KEY_VARIABLE}`, { hint: fix });
  }
  const opened: Record<string, V> = { ...job.inputs };
  for (const [name, text] of sealed) {
    if (Object.hasOwn(job.inputs, name)) {
      throw new SopError('QUEUE_JOB_INVALID', `job of run ${job.runId}: input "${name}" is given both sealed and in clear`, { hint: 'submit runs with `sop run FILE --queue URL`' });
    }
    opened[name] = openValue(job.runId, name, text, key, fix) as V;
  }
  return opened;
}

function openValue(runId: string, name: string, text: string, key: QueueKey, fix: string): unknown {
  const [, iv = '', tag = '', data = ''] = text.split('.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.secret, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(boundTo(runId, name));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8'));
  } catch {
    // GCM refuses another key, an altered value and a value moved from another run or input alike.
    throw new SopError('QUEUE_KEY_MISMATCH', `run ${runId}: this worker's ${QUEUE_KEY_VARIABLE} does not open its secret input "${name}": the run was submitted with another key (or the sealed value was altered, or moved from another run or input)`, { hint: fix });
  }
}
