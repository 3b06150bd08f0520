import type { ChatModel, ChatModelCapabilities, ChatRequest, ChatResponse } from '../chat-model.js';
import { ProviderError } from '../provider-error.js';
import type { Redactor } from '../redact.js';
import { readCassette, type CassetteExchange } from './cassette.js';
import { closestRecorded, firstDifference } from './first-difference.js';
import { olderContractWording } from './older-wording.js';
import { hashKeyFields, requestKeyFields, type RequestKeyFields } from './request-key.js';
import { servedResponse } from './stored-response.js';

export interface ReplayOptions {
  /** Cassette written by `withRecorder`. */
  file: string;
  /** Answer only exchanges recorded for this provider; default: any provider in the cassette. */
  providerKey?: string;
  /** Default: those recorded with the first matching exchange (so prompts are built the same way). */
  capabilities?: ChatModelCapabilities;
  /** Masks secrets in a miss's message (it quotes the request); default: none. */
  redact?: Redactor;
}

const FALLBACK_CAPABILITIES: ChatModelCapabilities = { nativeJsonSchema: false, tools: false, streaming: false };

/**
 * A model answering only from a cassette, never live. Requests match by request key; identical
 * requests get their recorded answers in recording order (the last one again once they run out).
 * A miss is REPLAY_MISS naming the call (its `label`) and the first difference against the
 * closest recorded request of the same label. The cassette is read (and checked) at creation.
 */
export function createReplayModel(options: ReplayOptions): ChatModel {
  const exchanges = readCassette(options.file).filter((exchange) => options.providerKey === undefined || exchange.provider === options.providerKey);
  const providers = [...new Set(exchanges.map((exchange) => exchange.provider))];
  const byKey = new Map<string, CassetteExchange[]>();
  for (const exchange of exchanges) byKey.set(exchange.key, [...(byKey.get(exchange.key) ?? []), exchange]);
  const served = new Map<string, number>();
  const endpoint = `replay ${options.file}`;

  /** The request's key, or the key it had in the older wording of the system prompt when only that was recorded. */
  function recordedKey(fields: RequestKeyFields): string | undefined {
    const key = hashKeyFields(fields);
    if (byKey.has(key)) return key;
    const older = olderContractWording(fields);
    const olderKey = older === undefined ? undefined : hashKeyFields(older);
    return olderKey !== undefined && byKey.has(olderKey) ? olderKey : undefined;
  }

  async function complete(request: ChatRequest): Promise<ChatResponse> {
    request.signal?.throwIfAborted();
    for (const provider of providers) {
      const key = recordedKey(requestKeyFields(provider, request));
      const recorded = key === undefined ? undefined : byKey.get(key);
      if (key === undefined || !recorded) continue;
      const index = served.get(key) ?? 0;
      served.set(key, index + 1);
      const exchange = recorded[Math.min(index, recorded.length - 1)] as CassetteExchange;
      return servedResponse(exchange.response, 'replay');
    }
    throw missError(request);
  }

  function missError(request: ChatRequest): ProviderError {
    const sameCall = exchanges.filter((exchange) => exchange.label === request.label);
    const closest = closestRecorded(sameCall, requestKeyFields(options.providerKey ?? sameCall[0]?.provider ?? 'unknown', request));
    const detail = closest
      ? `closest recorded request: ${
          firstDifference(closest, requestKeyFields(closest.provider, request)) ?? 'its fields look identical but its key differs (was the cassette edited?)'
        }`
      : `the cassette has no exchange for this call (it has: ${recordedCalls(exchanges)})`;
    const redact = options.redact ?? ((text: string): string => text);
    return new ProviderError('REPLAY_MISS', redact(`replay miss for ${request.label ?? 'a call'} in ${options.file}: ${detail}`), {
      endpoint,
      retryable: false,
      // A prompt also holds the workspace files an action reads: an incremental run's project edited since.
      hint: 'the SOP, its inputs, the workspace files its prompts read (a file edited since, in an --inc run) or the model settings changed since recording; record again with `--record FILE`, or run without --replay',
    });
  }

  const capabilities = options.capabilities ?? exchanges[0]?.capabilities ?? FALLBACK_CAPABILITIES;
  return { provider: 'replay', endpoint, capabilities, complete };
}

function recordedCalls(exchanges: readonly CassetteExchange[]): string {
  const calls = [...new Set(exchanges.map((exchange) => exchange.label ?? 'unnamed calls'))];
  if (calls.length === 0) return 'no exchanges';
  return calls.length > 8 ? `${calls.slice(0, 8).join('; ')}; ...` : calls.join('; ');
}
