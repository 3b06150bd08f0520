import { describe, expect, it } from 'vitest';
import { contextFromPrompt } from '../../../src/providers/offline/request-context.js';
import { caseFolding, patternFor, safeLine, splitWords, type TextPattern } from '../../../src/providers/offline/text-utils.js';

/** The offline model's Unicode patterns and their ASCII twins (src/providers/offline/text-utils.ts). */
const PAIRS: [string, TextPattern][] = [
  ['word separators', { any: /[^\p{L}\p{N}+#]+/gu, ascii: /[^A-Za-z0-9+#]+/g }],
  ['label', caseFolding(/^(?:the\s+)?(?:user\s+)?(?:requirements?|idea|task|subject)\s*(?:[:：\-–—]\s*(.*))?$/iu)],
  ['leading verb', caseFolding(/^(?:please\s+)?(?:(?:build|create|make)\s+)?(?:me\s+|us\s+)?(?:(?:a|an|the|some)\s+)?/iu)],
];

/** ASCII texts from a fixed seed: words the patterns look for, in any case, and every ASCII character. */
function asciiSamples(count: number): string[] {
  const words = ['please', 'Build', 'ME', 'a', 'Simple', 'todo', 'idea', 'Requirements', 'the', 'user', 'Task', 'k', 'S', ':', '-', ' ', '\t', '#', '+', '_', '7'];
  let seed = 7;
  const next = (below: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % below;
  };
  return Array.from({ length: count }, () => {
    let text = '';
    for (let at = next(8); at > 0; at -= 1) text += next(3) > 0 ? `${words[next(words.length)]} ` : String.fromCharCode(next(128));
    return text;
  });
}

describe('the offline model reads ASCII text with ASCII patterns (cheap to compile), with the same outcome', () => {
  it('an ASCII text gets the twin, any other text the Unicode pattern', () => {
    const [, separators] = PAIRS[0] as [string, TextPattern];
    expect(patternFor(separators, 'a todo app')).toBe(separators.ascii);
    expect(patternFor(separators, 'une appli de tâches')).toBe(separators.any);
  });

  it('each twin matches ASCII text exactly as its Unicode pattern does', () => {
    for (const text of asciiSamples(3000)) {
      for (const [name, { any, ascii }] of PAIRS) {
        expect({ name, text, result: text.replace(ascii, '|') }).toEqual({ name, text, result: text.replace(any, '|') });
      }
    }
  });

  it('words, safe lines and topics are the same as before, for ASCII and other text', () => {
    expect(splitWords('todoList v2_final')).toEqual(['todo', 'List', 'v2', 'final']);
    expect(splitWords('Gestión de tareas')).toEqual(['Gestión', 'de', 'tareas']);
    expect(safeLine('a "quoted" <b>todo</b> -- app')).toBe('a quoted b todo /b - app');
    expect(safeLine('café «crème»')).toBe('café crème');
    expect(contextFromPrompt('Idea: Please build me a simple todo CLI in Python.').topic).toBe('Todo CLI');
    expect(contextFromPrompt('IDEA: create an Inventory tracker with alerts').topic).toBe('Inventory tracker');
    expect(contextFromPrompt('Idea: ein Aufgabenplaner für Teams').topic).toBe('Ein Aufgabenplaner für Teams');
  });
});
