import { capOutput, toolError } from './output-cap.js';
import { fetchCapped } from './fetch-capped.js';
import type { Tool, ToolLimits } from './types.js';

/** Redirects followed at most (each to an allowed host). */
const MAX_REDIRECTS = 5;

/**
 * `http.get`: fetches an http(s) URL whose host is allow-listed (exact, lower-case host name; the
 * port is not part of the match), following at most five redirects, each checked the same way. No
 * cookies or credentials are sent; the body is capped.
 */
export function createHttpGetTool(options: { allowHosts: string[]; limits: ToolLimits }): Tool {
  const allowHosts = options.allowHosts.map((host) => host.toLowerCase());
  const { limits } = options;
  return {
    name: 'http.get',
    description: `Fetch a web page or API response with GET. Allowed hosts: ${allowHosts.join(', ')}.`,
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: { url: { type: 'string', minLength: 1, description: 'An http or https URL on an allowed host', examples: [`https://${allowHosts[0] ?? 'example.com'}/`] } },
    },
    async run(args, context) {
      let url: URL;
      try {
        url = new URL(String(args['url']));
      } catch {
        return toolError(`"${String(args['url'])}" is not a URL`);
      }
      for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return toolError(`only http and https URLs can be fetched, not ${url.protocol}`);
        if (!allowHosts.includes(url.hostname.toLowerCase())) {
          return toolError(`host "${url.hostname}" is not allowed (allowed: ${allowHosts.join(', ')})`, { refused: url.hostname });
        }
        const response = await fetchCapped(url, { method: 'GET' }, limits, context.signal);
        if ('error' in response) return toolError(response.error, { url: url.href });
        if (response.location !== undefined) {
          url = new URL(response.location, url);
          continue;
        }
        return {
          content: capOutput(`HTTP ${response.status}\n${response.body}`, limits.maxOutputBytes),
          isError: response.status >= 400,
          detail: { status: response.status, url: url.href },
        };
      }
      return toolError(`more than ${MAX_REDIRECTS} redirects`, { url: url.href });
    },
  };
}
