import { deadline, fetchCapped, httpToolContent } from './fetch-capped.js';
import { toolError } from './output-cap.js';
import type { Tool, ToolLimits } from './types.js';

/** Redirects followed at most (each to an allowed host). */
const MAX_REDIRECTS = 5;

/**
 * `http.get`: fetches an http(s) URL whose host is allow-listed, following at most five
 * redirects, each checked the same way. The match is on the lower-cased host name only, exactly
 * (no subdomains, no wildcards); the port is not part of it, so allowing `127.0.0.1` allows every
 * port there. No cookies or credentials are sent (a URL with a user name or password is refused);
 * one timeout covers the whole call; the body is read up to four times the output cap, then capped
 * (`httpToolContent`: a body longer than that is said cut with how much, exactly when its size is known).
 */
export function createHttpGetTool(options: { allowHosts: string[]; limits: ToolLimits }): Tool {
  const allowHosts = options.allowHosts.map((host) => host.toLowerCase());
  const { limits } = options;
  const refusal = (url: URL): string | undefined => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs can be fetched, not ${url.protocol}`;
    if (url.username !== '' || url.password !== '') return 'URLs with a user name or password are not allowed';
    if (!allowHosts.includes(url.hostname.toLowerCase())) return `host "${url.hostname}" is not allowed (allowed: ${allowHosts.join(', ')})`;
    return undefined;
  };
  return {
    name: 'http.get',
    description: `Fetch a web page or API response with GET. Allowed hosts: ${allowHosts.join(', ')}.`,
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', format: 'uri', minLength: 1, description: 'An http or https URL on an allowed host', examples: [`https://${allowHosts[0] ?? 'example.com'}/`] },
      },
    },
    async run(args, context) {
      let url: URL;
      try {
        url = new URL(String(args['url']));
      } catch {
        return toolError(`"${String(args['url'])}" is not a URL`);
      }
      const limit = deadline(limits.timeoutSeconds, context.signal);
      for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
        const refused = refusal(url);
        if (refused !== undefined) return toolError(refused, { refused: url.href, hop });
        const response = await fetchCapped(url, { method: 'GET' }, limits.maxOutputBytes * 4, limit);
        if ('error' in response) return toolError(response.error, { url: url.href });
        if (response.location !== undefined) {
          try {
            url = new URL(response.location, url);
          } catch {
            return toolError(`the server redirected to "${response.location}", which is not a URL`, { status: response.status });
          }
          continue;
        }
        // Masked before the cut (a page may show a secret): the cut never leaves part of one.
        return {
          content: httpToolContent(response, limits.maxOutputBytes, context.maskParts),
          isError: response.status >= 400,
          detail: { status: response.status, url: url.href },
        };
      }
      return toolError(`more than ${MAX_REDIRECTS} redirects`, { url: url.href });
    },
  };
}
