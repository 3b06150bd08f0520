import { joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/**
 * `required:` on an input (GitHub Actions' word) says what its `default` already says: an input is
 * required exactly when it has none. Written so, it is accepted; written against its default, the
 * two disagree and the reader cannot tell which was meant, so it is refused at `required`.
 */
export function inputRequired(context: RuleContext): void {
  for (const [name, input] of Object.entries(context.sop.document.inputs ?? {})) {
    if (input.required === undefined) continue;
    const pointer = joinPointer('/inputs', name, 'required');
    const hasDefault = input.default !== undefined;
    if (input.required && hasDefault) {
      context.sink.error('SCHEMA_VIOLATION', pointer, `input \`${name}\` is \`required: true\` and has a \`default\`: an input with a default is optional (the default is taken when it is not given)`, {
        expected: 'an input is required exactly when it has no `default`',
        hint: 'to require it, remove `default:`; to keep the default, remove `required: true`',
      });
    } else if (!input.required && !hasDefault) {
      context.sink.error('SCHEMA_VIOLATION', pointer, `input \`${name}\` is \`required: false\` without a \`default\`: an optional input needs the value it takes when not given`, {
        expected: '`default:` beside `required: false`',
        hint: 'add a default (e.g. `default: ""`), or remove `required: false` to require the input',
      });
    }
  }
}
