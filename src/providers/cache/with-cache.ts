import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomicSync } from '../../files/index.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { redactDeep, type Redactor } from '../redact.js';
import { olderContractWording } from './older-wording.js';
import { hashKeyFields, requestKeyFields, type RequestKeyFields } from './request-key.js';
import { readStoredResponse, servedResponse, toStoredResponse } from './stored-response.js';

export interface CacheOptions {
  /** Cache folder (`.sop/cache`); entries live in `<dir>/<first 2 hex>/<hash>.json`. */
  dir: string;
  /** Provider name that is part of the key (`openai`, `groq`). */
  providerKey: string;
  /** The server, when not the provider's default (`cacheEndpoint`): part of the key too. */
  endpoint?: string;
  /** Masks secrets in what is written (the runtime's secret mask). */
  redact: Redactor;
  /** Told when an entry cannot be written (the call itself still succeeds). */
  onWarning?: (message: string) => void;
}

const CACHE_FORMAT = 'sop-cache';
const CACHE_VERSION = 1;

/** Where the entry for a request hash lives. */
export function cacheEntryPath(dir: string, hash: string): string {
  return path.join(dir, hash.slice(0, 2), `${hash}.json`);
}

/**
 * A content-addressed response cache on disk: a request seen before is answered from its entry
 * (`cached: 'cache'`, cost 0, no call). Entries are written atomically, without fsync (a lost
 * entry is only a miss); an
 * unreadable or corrupt entry counts as a miss and is overwritten. A miss is looked up once more
 * under the key the request had in the system prompt's older wording (a description's full stop
 * doubled, see `olderContractWording`), so entries an older runner stored are not asked (and paid)
 * again; a hit never costs that second read.
 */
export function withCache(model: ChatModel, options: CacheOptions): ChatModel {
  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const fields = cacheKeyFields(options, request);
    const hash = hashKeyFields(fields);
    const file = cacheEntryPath(options.dir, hash);
    const hit = (await readEntry(file, hash)) ?? (await readOlderWordingEntry(options.dir, fields));
    if (hit) return hit;
    const response = await model.complete(request);
    const entry = { format: CACHE_FORMAT, version: CACHE_VERSION, key: hash, ...fields, response: toStoredResponse(response) };
    try {
      writeFileAtomicSync(file, `${JSON.stringify(redactDeep(entry, options.redact), null, 2)}\n`, { durable: false });
    } catch (error) {
      options.onWarning?.(`could not write cache entry ${file}: ${(error as Error).message}`);
    }
    return response;
  }

  return { provider: model.provider, endpoint: model.endpoint, capabilities: model.capabilities, complete };
}

/** The request's key fields, with the server when it is not the provider's default (cassettes leave it out: they replay anywhere). */
function cacheKeyFields(options: CacheOptions, request: ChatRequest): RequestKeyFields & { endpoint?: string } {
  const fields = requestKeyFields(options.providerKey, request);
  return options.endpoint === undefined ? fields : { ...fields, endpoint: options.endpoint };
}

/** The entry stored under the request's key in the older wording of the system prompt, if it had another. */
async function readOlderWordingEntry(dir: string, fields: RequestKeyFields): Promise<ChatResponse | undefined> {
  const older = olderContractWording(fields);
  if (older === undefined) return undefined;
  const hash = hashKeyFields(older);
  return readEntry(cacheEntryPath(dir, hash), hash);
}

async function readEntry(file: string, hash: string): Promise<ChatResponse | undefined> {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined; // missing, unreadable or corrupt: a miss
  }
  if (entry?.format !== CACHE_FORMAT || entry.version !== CACHE_VERSION || entry.key !== hash) return undefined;
  const stored = readStoredResponse(entry.response);
  return stored ? servedResponse(stored, 'cache') : undefined;
}

