import { readJson } from './extract-json.js';
import { stripCodeFence } from './strip-fence.js';

export type OutputFormat = 'text' | 'markdown' | 'json' | 'code';

/** A reply read against its output contract. */
export type ParsedOutput =
  | { ok: true; content: string; payload: unknown }
  | { ok: false; errors: string[] };

/**
 * Reads a reply per format: `text`/`markdown` as written, `code` without its surrounding fence,
 * `json` extracted, repaired and checked with `validate` (which returns error lines). The JSON
 * message's content is the parsed value pretty-printed, so prompts downstream see clean JSON.
 */
export function parseOutput(text: string, format: OutputFormat, validate?: (value: unknown) => string[]): ParsedOutput {
  switch (format) {
    case 'text':
    case 'markdown':
      return { ok: true, content: text, payload: undefined };
    case 'code':
      return { ok: true, content: stripCodeFence(text), payload: undefined };
    case 'json': {
      const read = readJson(text);
      if (!read.ok) return { ok: false, errors: [read.error] };
      const errors = validate ? validate(read.value) : [];
      if (errors.length > 0) return { ok: false, errors };
      return { ok: true, content: JSON.stringify(read.value, null, 2), payload: read.value };
    }
  }
}
