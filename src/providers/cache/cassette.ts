import { readFileSync, statSync } from 'node:fs';
import { SopError } from '../../errors/index.js';
import { notRegularFile } from '../../spec/limits.js';
import { decodeUtf8Text } from '../../spec/text-encoding.js';
import type { ChatModelCapabilities } from '../chat-model.js';
import type { RequestKeyFields } from './request-key.js';
import { readStoredResponse, type StoredResponse } from './stored-response.js';

/**
 * Cassette format (JSON Lines): line 1 is the header, every other line one exchange, appended as
 * it happens so a crash keeps what was recorded. Version 2 names each call by the request's
 * `label`; version 1 (before requests carried no SOP terms) by a `purpose` object
 * (`{kind, role, action}`), read into the same label, so old cassettes keep replaying.
 */
export const CASSETTE_FORMAT = 'sop-cassette';
export const CASSETTE_VERSION = 2;

export interface CassetteHeader {
  format: typeof CASSETTE_FORMAT;
  version: number;
  createdAt: string;
}

export interface CassetteExchange extends RequestKeyFields {
  type: 'exchange';
  /** `requestKey` of the live request (stable even when recorded fields were redacted). */
  key: string;
  /** The request's `label` (who asked, in words), when it had one. */
  label?: string;
  capabilities: ChatModelCapabilities;
  response: StoredResponse;
}

/** How version 1 named a call; read only. */
interface LegacyPurpose {
  kind: string;
  role: string;
  action?: string;
}

/** A version 1 `purpose` in the words the runtime labels calls with (`role "pm", action "write_prd"`). */
function legacyLabel(purpose: LegacyPurpose): string {
  if (purpose.action === undefined) return `role "${purpose.role}", ${purpose.kind} call`;
  return `role "${purpose.role}", action "${purpose.action}"${purpose.kind === 'action' ? '' : `, ${purpose.kind} call`}`;
}

export function isCassetteHeader(value: unknown): value is CassetteHeader {
  return typeof value === 'object' && value !== null && (value as CassetteHeader).format === CASSETTE_FORMAT;
}

/**
 * Reads every exchange of a cassette. A missing file, a foreign header, a newer version or a bad
 * line is a SopError naming `file:line`; a last line cut short by a crash is ignored.
 */
export function readCassette(file: string): CassetteExchange[] {
  let bytes: Buffer;
  try {
    // A named pipe would be read for ever.
    const kind = notRegularFile(statSync(file));
    if (kind !== undefined && kind !== 'a folder') throw new SopError('FILE_UNREADABLE', `cassette ${file} is ${kind}; expected a regular file`, { hint: 'give the file `sop run SOP --record FILE` wrote (e.g. `run.cassette.jsonl`)' });
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof SopError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') {
      throw new SopError('FILE_UNREADABLE', `cassette ${file} is a folder, not a cassette file`, { hint: 'give the file `sop run SOP --record FILE` wrote (e.g. `run.cassette.jsonl`)' });
    }
    const missing = code === 'ENOENT';
    throw new SopError(missing ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cassette ${file} ${missing ? 'does not exist' : `cannot be read: ${(error as Error).message}`}`, {
      hint: missing ? 'record one first with `sop run SOP --record FILE`' : "check the file's permissions",
    });
  }
  // A PNG, an archive or random bytes given for a cassette: said in one sentence, not as "line 1 is
  // not valid JSON" (or a line number out of a binary file's chance line breaks).
  const decoded = decodeUtf8Text(bytes);
  if (!decoded.ok) {
    const what = decoded.problem.message.startsWith('it is UTF-') ? decoded.problem.message : 'it holds binary data, not text';
    throw new SopError('FILE_UNREADABLE', `${file} is not a sop cassette: ${what}; a cassette is the JSON Lines file \`sop run SOP --record FILE\` writes`, { hint: NOT_A_CASSETTE_HINT });
  }
  const text = decoded.text;
  const lines = text.split('\n');
  const crashedTail = !text.endsWith('\n');
  const exchanges: CassetteExchange[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (crashedTail && index === lines.length - 1) return;
      if (index === 0) throw new SopError('FILE_UNREADABLE', `${file} is not a sop cassette: its first line is not JSON, where a cassette has its header ({"format":"${CASSETTE_FORMAT}","version":${CASSETTE_VERSION}})`, { hint: NOT_A_CASSETTE_HINT });
      throw invalid(where, 'is not valid JSON');
    }
    if (index === 0) {
      if (!isCassetteHeader(value)) throw invalid(where, `is not a sop cassette header ({"format":"${CASSETTE_FORMAT}","version":${CASSETTE_VERSION}})`);
      if (value.version > CASSETTE_VERSION) throw invalid(where, `has cassette version ${value.version}; this sop reads version ${CASSETTE_VERSION}`);
      return;
    }
    exchanges.push(checkedExchange(value, where));
  });
  if (lines[0] === undefined || lines[0].trim() === '') throw invalid(`${file}:1`, 'is empty; a cassette starts with its header line');
  return exchanges;
}

function checkedExchange(value: unknown, where: string): CassetteExchange {
  const exchange = value as (Partial<CassetteExchange> & { purpose?: LegacyPurpose }) | null;
  const response = readStoredResponse(exchange?.response);
  if (
    exchange?.type !== 'exchange' ||
    typeof exchange.key !== 'string' ||
    typeof exchange.provider !== 'string' ||
    typeof exchange.model !== 'string' ||
    !Array.isArray(exchange.messages) ||
    (exchange.label !== undefined && typeof exchange.label !== 'string') ||
    !response
  ) {
    throw invalid(where, 'is not a recorded exchange (type, key, provider, model, messages, response)');
  }
  const { purpose, ...rest } = exchange;
  const label = exchange.label ?? (typeof purpose?.role === 'string' ? legacyLabel(purpose) : undefined);
  return { ...(rest as CassetteExchange), ...(label === undefined ? {} : { label }), response };
}

const NOT_A_CASSETTE_HINT = 'record one with `sop run SOP --record FILE`, then give that file to --replay';

function invalid(where: string, problem: string): SopError {
  return new SopError('FILE_UNREADABLE', `cassette line ${where} ${problem}`, { hint: 're-record the cassette with `sop run SOP --record FILE`' });
}
