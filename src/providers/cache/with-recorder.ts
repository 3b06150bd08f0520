import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../../errors/index.js';
import { ensureFolder } from '../../files/index.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { redactDeep, redactSecrets, type Redactor } from '../redact.js';
import { CASSETTE_FORMAT, CASSETTE_VERSION, isCassetteHeader, recordedPurpose, type CassetteExchange, type CassetteHeader } from './cassette.js';
import { hashKeyFields, requestKeyFields } from './request-key.js';
import { toStoredResponse } from './stored-response.js';

export interface RecorderOptions {
  /** Cassette file (JSON Lines). */
  file: string;
  /** Provider name that is part of the request key (`openai`, `groq`). */
  providerKey: string;
  /**
   * Add to an existing cassette (it must be one) instead of starting a new one (resuming a run).
   * Several recorders writing to one file in one process share it either way: only the first
   * starts the file.
   */
  append?: boolean;
  /** Masks secrets in what is written; default: the process-wide registered secrets. */
  redact?: Redactor;
}

// Cassettes this process already started: a second recorder on the same file appends to it.
const startedFiles = new Set<string>();

/**
 * Records every successful exchange to a cassette, one line each, written synchronously as it
 * happens so a crash keeps everything recorded so far. Failed calls are not recorded.
 */
export function withRecorder(model: ChatModel, options: RecorderOptions): ChatModel {
  const redact = options.redact ?? redactSecrets;

  function start(): void {
    const resolved = path.resolve(options.file);
    if (startedFiles.has(resolved)) return;
    startedFiles.add(resolved);
    if (options.append && hasContent(options.file)) {
      const firstLine = readFileSync(options.file, 'utf8').split('\n', 1)[0] ?? '';
      if (!isCassetteHeader(parseOrUndefined(firstLine))) {
        throw new SopError('USAGE', `--record ${options.file}: the file exists and is not a sop cassette; refusing to append to it`, {
          hint: 'choose another file name or delete that file',
        });
      }
      return;
    }
    ensureFolder(path.dirname(resolved));
    const header: CassetteHeader = { format: CASSETTE_FORMAT, version: CASSETTE_VERSION, createdAt: new Date().toISOString() };
    writeFileSync(options.file, `${JSON.stringify(header)}\n`, 'utf8');
  }

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const response = await model.complete(request);
    start();
    const fields = requestKeyFields(options.providerKey, request);
    const exchange: CassetteExchange = {
      type: 'exchange',
      key: hashKeyFields(fields),
      ...fields,
      purpose: recordedPurpose(request.purpose),
      capabilities: model.capabilities,
      response: toStoredResponse(response),
    };
    appendFileSync(options.file, `${JSON.stringify(redactDeep(exchange, redact))}\n`, 'utf8');
    return response;
  }

  return { provider: model.provider, endpoint: model.endpoint, capabilities: model.capabilities, complete };
}

function hasContent(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').trim() !== '';
  } catch {
    return false;
  }
}

function parseOrUndefined(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
