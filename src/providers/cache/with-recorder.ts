import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SopError } from '../../errors/index.js';
import { ensureFolder } from '../../files/index.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../chat-model.js';
import { redactDeep, type Redactor } from '../redact.js';
import { CASSETTE_FORMAT, CASSETTE_VERSION, isCassetteHeader, type CassetteExchange, type CassetteHeader } from './cassette.js';
import { hashKeyFields, requestKeyFields } from './request-key.js';
import { toStoredResponse } from './stored-response.js';

export interface RecorderOptions {
  /** Where exchanges go: one writer per cassette file, shared by every recorder writing to it. */
  cassette: CassetteWriter;
  /** Provider name that is part of the request key (`openai`, `groq`). */
  providerKey: string;
}

/**
 * Writes one cassette file: its header on the first exchange, then one line per exchange, each
 * written synchronously as it happens so a crash keeps everything recorded so far.
 */
export class CassetteWriter {
  private started = false;

  constructor(
    readonly file: string,
    private readonly options: {
      /** Masks secrets in what is written (the runtime's secret mask). */
      redact: Redactor;
      /** Add to an existing cassette (it must be one) instead of starting a new one. */
      append?: boolean;
    },
  ) {}

  write(exchange: CassetteExchange): void {
    this.start();
    appendFileSync(this.file, `${JSON.stringify(redactDeep(exchange, this.options.redact))}\n`, 'utf8');
  }

  private start(): void {
    if (this.started) return;
    if (this.options.append && hasContent(this.file)) {
      const firstLine = readFileSync(this.file, 'utf8').split('\n', 1)[0] ?? '';
      // Refused on every write, not only the first: a foreign file is never appended to.
      if (!isCassetteHeader(parseOrUndefined(firstLine))) {
        throw new SopError('USAGE', `--record ${this.file}: the file exists and is not a sop cassette; refusing to append to it`, {
          hint: 'choose another file name or delete that file',
        });
      }
    } else {
      ensureFolder(path.dirname(path.resolve(this.file)));
      const header: CassetteHeader = { format: CASSETTE_FORMAT, version: CASSETTE_VERSION, createdAt: new Date().toISOString() };
      writeFileSync(this.file, `${JSON.stringify(header)}\n`, 'utf8');
    }
    this.started = true;
  }
}

/** Records every successful exchange to a cassette. Failed calls are not recorded. */
export function withRecorder(model: ChatModel, options: RecorderOptions): ChatModel {
  async function complete(request: ChatRequest): Promise<ChatResponse> {
    const response = await model.complete(request);
    const fields = requestKeyFields(options.providerKey, request);
    options.cassette.write({
      type: 'exchange',
      key: hashKeyFields(fields),
      ...fields,
      ...(request.label === undefined ? {} : { label: request.label }),
      capabilities: model.capabilities,
      response: toStoredResponse(response),
    });
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
