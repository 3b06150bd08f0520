import { shownUrl } from './endpoint-url.js';
import { ProviderError } from './provider-error.js';

/**
 * fetch's refusal of a port the fetch standard blocks (6000, 5060, 10080, ...; "bad port" in the
 * error's causes): no attempt can succeed, however long the server runs. It was told as an
 * unreachable server ("cannot reach ... (bad port)", Ollama's as "ended the reply early"), retried
 * for seconds, with a hint to check that the server runs.
 */
export function blockedPortError(error: unknown, url: string, setting: string, endpoint: string): ProviderError | undefined {
  if (!saysBadPort(error)) return undefined;
  let port = '';
  try {
    port = new URL(url).port;
  } catch {
    // the port is then not named
  }
  return new ProviderError('PROVIDER_UNAVAILABLE', `cannot reach ${shownUrl(url)}: Node's fetch never connects to port ${port || 'of this URL'} (a port the fetch standard blocks, as browsers do)`, {
    endpoint,
    retryable: false,
    cause: error,
    hint: `serve the model on another port (8000, 8080, 11434, ...) and point ${setting} at it`,
  });
}

function saysBadPort(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current.message === 'bad port') return true;
    current = current.cause;
  }
  return false;
}
