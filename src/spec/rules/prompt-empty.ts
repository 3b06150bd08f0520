import { isWithin, joinPointer } from '../pointer.js';
import type { RuleContext } from './rule-context.js';

/**
 * PROMPT_EMPTY (warning): an action's prompt is empty or blank (often a prompt file not written
 * yet). The model is sent an empty user message, which some providers refuse.
 */
export function promptEmpty(context: RuleContext): void {
  for (const role of context.sop.roles) {
    for (const action of role.actions) {
      if (action.prompt === undefined || action.prompt.text.trim() !== '') continue;
      const written = context.document.roles[role.id]?.actions.find((declared) => declared.id === action.id)?.prompt;
      const inFile = typeof written === 'object' && written !== null;
      const pointer = joinPointer(action.pointer, 'prompt');
      // A prompt file that could not be read is empty here: its error says why.
      if (context.sink.diagnostics.some((diagnostic) => diagnostic.severity === 'error' && isWithin(diagnostic.pointer ?? '', pointer))) continue;
      context.sink.warning('PROMPT_EMPTY', inFile ? joinPointer(pointer, 'file') : pointer, `action \`${action.id}\`: the prompt${inFile ? ` file \`${written.file}\`` : ''} is empty`, {
        expected: 'the text the model is asked',
        hint: `write what the model should do${inFile ? ' in the file' : ''}; some providers refuse an empty user message`,
      });
    }
  }
}
