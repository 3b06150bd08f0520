/** A command line as typed in a shell, written as the argv list an SOP's `command` takes (for hints). */

/** What a shell would read in a command line: `&&`, `||`, `;`, a pipe, a redirect, `$VAR`, `$(...)`, a backquote, a glob. */
export const SHELL_SYNTAX = /&&|\|\||[;|<>`*?]|\$[({A-Za-z_]/;

/**
 * `sleep 6 && grep -q Draft {{ inputs.file }}` as the argv list that runs it: no shell runs a
 * command, so a line using a shell's syntax is handed to `sh -c`, each template taken out of the
 * code as an argument of its own (`"$1"`: a value stays data, never shell code); other lines are
 * split into words, a quoted word and a `{{ ... }}` template kept as one argument.
 */
export function argvList(line: string): string {
  const text = line.trim();
  return `[${(SHELL_SYNTAX.test(text.replace(/\{\{.*?\}\}/g, '')) ? shellArgv(text) : commandWords(text)).map(flowItem).join(', ')}]`;
}

function shellArgv(text: string): string[] {
  const templates: string[] = [];
  const code = text.replace(/\{\{.*?\}\}/g, (template) => `"\${${templates.push(template)}}"`);
  return ['sh', '-c', code, ...(templates.length > 0 ? ['sh', ...templates] : [])];
}

/** The words of a command line: split at spaces outside quotes and `{{ ... }}`; quotes removed. */
function commandWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/(?:\{\{.*?\}\}|"[^"]*"|'[^']*'|[^\s"'{]+|\{)+/g)) {
    words.push(match[0].replace(/\{\{.*?\}\}|"([^"]*)"|'([^']*)'/g, (whole: string, double: string | undefined, single: string | undefined) => (whole.startsWith('{{') ? whole : (double ?? single ?? ''))));
  }
  return words;
}

/** A word as an item of a YAML `[...]` list: bare when YAML reads it as that text, else double-quoted. */
function flowItem(word: string): string {
  return /^[A-Za-z0-9_./=+-][A-Za-z0-9_./=+:@%-]*$/.test(word) && !/:$/.test(word) ? word : JSON.stringify(word);
}
