import { APIError } from 'openai';

/**
 * Request fields that OpenAI-compatible servers older than them refuse with a 400 naming the field
 * (Azure API versions before 2024-09, older vLLM and proxies), and how to send the request without
 * them. Nothing was answered, so asking again costs nothing.
 */
const OLDER_FORMS: Record<string, (body: Record<string, unknown>) => void> = {
  // The stream's final usage chunk: without it usage is estimated (unless the server sends it anyway).
  stream_options: (body) => {
    delete body['stream_options'];
  },
  // The reply's token limit under its older name.
  max_completion_tokens: (body) => {
    body['max_tokens'] = body['max_completion_tokens'];
    delete body['max_completion_tokens'];
  },
};

/** Words servers use for a field they do not know (not for a value they refuse, such as a limit too high). */
const UNKNOWN_FIELD = /unrecognized|unknown|unsupported|not supported|not permitted|extra (fields|inputs)|additional propert/i;

/**
 * What one endpoint was found to refuse: its later requests are sent in the older form at once.
 * `send` asks again, in the older form, when a 400/422 says the server does not know a field.
 */
export class OlderServerForms {
  private readonly refused = new Set<string>();

  async send<Body extends object, Reply>(body: Body, send: (body: Body) => Promise<Reply>): Promise<Reply> {
    for (;;) {
      const sent = this.adapt(body);
      try {
        return await send(sent);
      } catch (error) {
        if (!this.learn(error, sent)) throw error;
      }
    }
  }

  private adapt<Body extends object>(body: Body): Body {
    const fields = [...this.refused].filter((field) => field in body);
    if (fields.length === 0) return body;
    const adapted = { ...body } as Record<string, unknown>;
    for (const field of fields) OLDER_FORMS[field]?.(adapted);
    return adapted as Body;
  }

  /** True when `error` says the server does not know a field of `sent` that has an older form (remembered). */
  private learn(error: unknown, sent: object): boolean {
    if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422) || !UNKNOWN_FIELD.test(error.message)) return false;
    const field = Object.keys(OLDER_FORMS).find((name) => name in sent && !this.refused.has(name) && error.message.includes(name));
    if (field === undefined) return false;
    this.refused.add(field);
    return true;
  }
}
