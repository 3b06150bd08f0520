/**
 * A model key as the GenAI semantic conventions name it: `openai:gpt-4o-mini` is provider `openai`
 * and model `gpt-4o-mini`; sop's own models (`offline`, `script:FILE`) are providers `sop.offline`
 * and `sop.script`, as the conventions ask for a name of one's own.
 */
export function genAiModel(key: string): { provider: string; model: string } {
  if (key === 'offline') return { provider: 'sop.offline', model: 'offline' };
  const colon = key.indexOf(':');
  if (colon < 0) return { provider: 'sop.unknown', model: key };
  const provider = key.slice(0, colon);
  if (provider === 'script') return { provider: 'sop.script', model: 'script' };
  return { provider, model: key.slice(colon + 1) };
}
