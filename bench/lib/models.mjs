import { sleep } from './stats.mjs';

/**
 * A model that answers after a fixed latency, in process (no network): what every workload's steps
 * call, so the figures are the framework's own cost. Records prompt sizes.
 */
export function latencyModel(latencyMs) {
  const promptSizes = [];
  return {
    provider: 'bench',
    capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
    promptSizes,
    async complete(request) {
      const prompt = request.messages.map((m) => m.content).join('\n');
      promptSizes.push(prompt.length);
      if (latencyMs > 0) await sleep(latencyMs);
      return { text: `answer to ${prompt.length} chars`, usage: { promptTokens: 10, completionTokens: 5, estimated: true }, model: 'bench' };
    },
  };
}
