/**
 * Code the offline model writes for `format: code`: a small, real, runnable module in the
 * requested language, or, for a test file, a test that really checks the project (Python:
 * every file compiles; JavaScript: every file passes `node --check`). No Markdown fences.
 */

import { EXTENSION, hasExtension, isEsmPath, isTestPath, languageOfPath, normalizeLanguage, type Language } from './languages.js';
import type { OfflineContext } from './request-context.js';
import { OFFLINE_NOTICE } from './request-context.js';
import { DATA_TEMPLATES, NAMED_TEMPLATES, commentOnly } from './data-templates.js';
import { NATIVE_SOURCE_TEMPLATES } from './source-templates.js';
import { NATIVE_TEST_TEMPLATES } from './test-templates-native.js';
import { SCRIPT_TEST_TEMPLATES } from './test-templates.js';
import { safeLine, snakeCase } from './text-utils.js';
import type { SourceFile, Template } from './template-types.js';

/** The language to write: the path's extension when it has one, else the purpose's language. */
function codeLanguage(language: string | undefined, path: string | undefined): Language | undefined {
  if (path && hasExtension(path)) return languageOfPath(path);
  return normalizeLanguage(language);
}

export function generateCode(language: string | undefined, path: string | undefined, context: OfflineContext): string {
  const resolved = codeLanguage(language, path);
  // The name shows up in comments and literals: keep only characters safe there.
  const name = safeLine((path ?? '').split(/[\\/]/).pop() ?? '', 80) || `main${resolved ? EXTENSION[resolved] : '.txt'}`;
  const file: SourceFile = {
    path: path ?? name,
    name,
    stem: identifierStem(name),
    task: context.task,
    topic: context.topic,
    notice: OFFLINE_NOTICE,
    context,
  };
  const named = NAMED_TEMPLATES[name];
  if (named) return named(file);
  if (resolved === undefined) return commentOnly(file);
  if (name === '__init__.py') return pythonPackageMarker(file);
  const test = isTestPath(path) ? (SCRIPT_TEST_TEMPLATES[resolved] ?? NATIVE_TEST_TEMPLATES[resolved]) : undefined;
  const template = test ?? SCRIPT_SOURCE_TEMPLATES[resolved] ?? NATIVE_SOURCE_TEMPLATES[resolved] ?? DATA_TEMPLATES[resolved];
  return template ? template(file) : commentOnly(file);
}

/** `todo-cli.test.js` → `todo_cli_test`; never empty, never starting with a digit. */
function identifierStem(name: string): string {
  const stem = snakeCase(name.replace(/\.[^.]*$/, '')) || 'main';
  return /^[0-9]/.test(stem) ? `file_${stem}` : stem;
}

const python: Template = (file) => `# ${file.notice}
"""${file.name}: ${file.task}.

A small placeholder module: it runs, and its functions do one real thing.
"""

import sys

TASK = "${file.task}"


def summarize(words):
    """Return the task followed by the given words, as one line."""
    text = " ".join(word.strip() for word in words if word.strip())
    return TASK + (": " + text if text else "")


def main(argv=None):
    """Print the summary of the command-line arguments and return the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    print(summarize(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`;

/** `__init__.py`, even under tests/: a package marker, not a module or a test. */
function pythonPackageMarker(file: SourceFile): string {
  return `# ${file.notice}\n"""Package for ${file.task}."""\n`;
}

/** summarize() and main(), shared by the CommonJS and ESM variants. */
function summarizeJs(exported: boolean): string {
  const prefix = exported ? 'export ' : '';
  return `/**
 * Returns the task followed by the given words, as one line.
 * @param {string[]} words
 * @returns {string}
 */
${prefix}function summarize(words) {
  const text = words.map((word) => word.trim()).filter((word) => word.length > 0).join(' ');
  return text ? TASK + ': ' + text : TASK;
}

/** Prints the summary of the command-line arguments; returns the exit status. */
${prefix}function main(argv = process.argv.slice(2)) {
  console.log(summarize(argv));
  return 0;
}
`;
}

const javascript: Template = (file) =>
  isEsmPath(file.path)
    ? `// ${file.notice}
// ${file.name}: ${file.task}.
import { pathToFileURL } from 'node:url';

export const TASK = '${file.task}';

${summarizeJs(true)}
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
`
    : `// ${file.notice}
// ${file.name}: ${file.task}.
'use strict';

const TASK = '${file.task}';

${summarizeJs(false)}
module.exports = { TASK, summarize, main };

if (require.main === module) {
  process.exitCode = main();
}
`;

const typescript: Template = (file) => `// ${file.notice}
// ${file.name}: ${file.task}.

/** What this module is about. */
export const TASK = '${file.task}';

/** Returns the task followed by the given words, as one line. */
export function summarize(words: readonly string[]): string {
  const text = words.map((word) => word.trim()).filter((word) => word.length > 0).join(' ');
  return text ? \`\${TASK}: \${text}\` : TASK;
}
`;

const SCRIPT_SOURCE_TEMPLATES: Partial<Record<Language, Template>> = { python, javascript, typescript };
