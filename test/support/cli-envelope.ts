import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Ajv2020Module from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');
const require = createRequire(import.meta.url);

/** What `sop COMMAND --json` prints (schemas/cli-envelope.v1.schema.json). */
export interface Envelope<T = unknown> {
  schemaVersion: 1;
  command: string | null;
  ok: boolean;
  exitCode: number;
  result?: T;
  error?: { code: string; exitCode: number; message: string; file?: string; line?: number; column?: number; hint?: string; diagnostics?: Array<Record<string, unknown>> };
  warnings: Array<{ message: string; code?: string; file?: string; line?: number; column?: number; hint?: string }>;
}

let validators: { envelope: ValidateFunction; report: ValidateFunction } | undefined;

/** The published schemas, compiled with the validator the project uses (ajv, JSON Schema 2020-12, formats). */
export function schemaValidators(): { envelope: ValidateFunction; report: ValidateFunction } {
  if (!validators) {
    const Ajv2020 = (require('ajv/dist/2020.js') as typeof Ajv2020Module).default;
    const addFormats = (require('ajv-formats') as typeof addFormatsModule).default;
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const read = (name: string): object => JSON.parse(readFileSync(path.join(schemasDir, name), 'utf8')) as object;
    ajv.addSchema(read('report.v1.schema.json'));
    ajv.addSchema(read('cli-envelope.v1.schema.json'));
    validators = {
      envelope: ajv.getSchema('https://sop-runner.dev/schemas/cli-envelope.v1.schema.json') as ValidateFunction,
      report: ajv.getSchema('https://sop-runner.dev/schemas/report.v1.schema.json') as ValidateFunction,
    };
  }
  return validators;
}

/**
 * The envelope a `--json` command printed: stdout is exactly one JSON document, valid against the
 * published schema, whose exitCode is the process's. Throws (failing the test) with the reasons otherwise.
 */
export function envelopeOf<T = unknown>(cli: { code: number | null; stdout: string; stderr: string }): Envelope<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(cli.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${cli.code}):\n${cli.stdout}\n--- stderr:\n${cli.stderr}`);
  }
  const { envelope } = schemaValidators();
  if (!envelope(parsed)) throw new Error(`stdout does not match cli-envelope.v1.schema.json: ${JSON.stringify(envelope.errors, null, 2)}\n${cli.stdout}`);
  const typed = parsed as Envelope<T>;
  if (typed.exitCode !== cli.code) throw new Error(`envelope exitCode ${typed.exitCode} but the process exited ${cli.code}`);
  return typed;
}

/** The `result` of a `--json` command's envelope (the run report for `sop run`/`sop resume`). */
export function resultOf<T = any>(cli: { code: number | null; stdout: string; stderr: string }): T {
  const envelope = envelopeOf<T>(cli);
  if (envelope.result === undefined) throw new Error(`the envelope has no result: ${cli.stdout}`);
  return envelope.result;
}
