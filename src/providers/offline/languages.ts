/**
 * Programming languages the offline model knows: names and extensions, the language a prompt
 * mentions, whether a path is a test file, and plausible relative file paths for a project.
 */

import { kebabCase, pascalCase, snakeCase, wordIndex } from './text-utils.js';

export type Language =
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'go'
  | 'rust'
  | 'java'
  | 'shell'
  | 'ruby'
  | 'c'
  | 'cpp'
  | 'html'
  | 'css'
  | 'json'
  | 'yaml'
  | 'markdown';

const ALIASES: Record<string, Language> = {
  python: 'python', python3: 'python', py: 'python',
  javascript: 'javascript', js: 'javascript', node: 'javascript', nodejs: 'javascript', 'node.js': 'javascript',
  ecmascript: 'javascript', cjs: 'javascript', mjs: 'javascript',
  typescript: 'typescript', ts: 'typescript', mts: 'typescript', cts: 'typescript',
  go: 'go', golang: 'go',
  rust: 'rust', rs: 'rust',
  java: 'java',
  shell: 'shell', bash: 'shell', sh: 'shell', zsh: 'shell',
  ruby: 'ruby', rb: 'ruby',
  c: 'c', h: 'c',
  cpp: 'cpp', 'c++': 'cpp', cxx: 'cpp', cc: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  html: 'html', htm: 'html',
  css: 'css',
  json: 'json',
  yaml: 'yaml', yml: 'yaml',
  markdown: 'markdown', md: 'markdown',
};

export const EXTENSION: Record<Language, string> = {
  python: '.py', javascript: '.js', typescript: '.ts', go: '.go', rust: '.rs', java: '.java',
  shell: '.sh', ruby: '.rb', c: '.c', cpp: '.cpp', html: '.html', css: '.css', json: '.json',
  yaml: '.yaml', markdown: '.md',
};

/** `Python 3` → `python`, `Node.js` → `javascript`, `C++` → `cpp`; undefined when unknown. */
export function normalizeLanguage(name: string | undefined): Language | undefined {
  if (!name) return undefined;
  const lower = name.trim().toLowerCase();
  const direct = ALIASES[lower];
  if (direct) return direct;
  const first = lower.split(/[\s/,(]+/)[0]?.replace(/\d+(\.\d+)*$/, '') ?? '';
  return ALIASES[first];
}

/** The language a file's extension names, if any. */
export function languageOfPath(path: string | undefined): Language | undefined {
  if (!path) return undefined;
  const base = path.split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return ALIASES[base.slice(dot + 1).toLowerCase()];
}

/** Whether the file has an extension at all (an unknown one means "not code we know"). */
export function hasExtension(path: string): boolean {
  const base = path.split('/').pop() ?? '';
  return base.lastIndexOf('.') > 0;
}

const PROMPT_LANGUAGES: ReadonlyArray<readonly [string, Language]> = [
  ['python', 'python'], ['javascript', 'javascript'], ['node.js', 'javascript'], ['nodejs', 'javascript'],
  ['typescript', 'typescript'], ['golang', 'go'], ['rust', 'rust'], ['java', 'java'], ['ruby', 'ruby'],
  ['bash', 'shell'], ['shell script', 'shell'], ['c++', 'cpp'], ['html', 'html'],
];

/** The first programming language the prompt names (earliest mention wins). */
export function languageInPrompt(promptLower: string): Language | undefined {
  let best: { at: number; language: Language } | undefined;
  for (const [word, language] of PROMPT_LANGUAGES) {
    const at = wordIndex(promptLower, word);
    if (at >= 0 && (!best || at < best.at)) best = { at, language };
  }
  const go = /\b(?:in|using|with|written in)\s+go\b/.exec(promptLower);
  if (go && (!best || go.index < best.at)) return 'go';
  return best?.language;
}

/** test_*.py, *_test.py, *.test.js/ts/mjs, *.spec.*, *_test.go, *Test.java, or under tests/ or test/. */
export function isTestPath(path: string | undefined): boolean {
  if (!path) return false;
  const parts = path.split(/[\\/]/);
  const base = parts.pop() ?? '';
  if (parts.some((part) => part === 'tests' || part === 'test' || part === '__tests__' || part === 'spec')) return true;
  return /^test_.+\.\w+$|_test\.\w+$|\.(test|spec)\.[cm]?[jt]sx?$|Test\.java$/.test(base);
}

/** JavaScript written as an ES module (`.mjs`); everything else is CommonJS. */
export function isEsmPath(path: string): boolean {
  return /\.mjs$/i.test(path);
}

/** Extra module names after the main file and its test. */
const EXTRA_MODULES = ['utils', 'models', 'storage', 'config', 'commands', 'core'];

/**
 * A relative path for file number `index` of a project about `topic`: the main module first,
 * then supporting modules; tests only for fields about tests (`test: true`), since a project's
 * file list names the files engineers write and QA writes the tests. Only `[a-z0-9_-]` names:
 * never absolute, never `..`.
 * (Manifests such as go.mod are not invented: a code message for a file without a language
 * would lack `payload.language`, which SOPs route on.)
 */
export function projectFilePath(topic: string, language: Language, index: number, options: { test?: true } = {}): string {
  const snake = safeStem(snakeCase(topic));
  if (options.test === true) {
    return index === 0 ? testPath(language, snake, true) : testPath(language, `${snake}_${EXTRA_MODULES[(index - 1) % EXTRA_MODULES.length]}`, false);
  }
  if (index === 0) return sourcePath(language, snake, 0);
  const extraIndex = index - 1;
  const extra = EXTRA_MODULES[extraIndex % EXTRA_MODULES.length] ?? 'utils';
  const round = extraIndex < EXTRA_MODULES.length ? '' : `_${Math.floor(extraIndex / EXTRA_MODULES.length) + 1}`;
  return sourcePath(language, `${snake}_${extra}${round}`, index);
}

function safeStem(stem: string): string {
  if (stem.length === 0) return 'app';
  return /^[0-9]/.test(stem) ? `app_${stem}` : stem.slice(0, 40).replace(/_+$/, '');
}

function sourcePath(language: Language, stem: string, index: number): string {
  const kebab = stem.replace(/_/g, '-');
  switch (language) {
    case 'javascript': return `${kebab}.js`;
    case 'typescript': return `src/${kebab}.ts`;
    case 'go': return index === 0 ? 'main.go' : `${stem}.go`;
    case 'rust': return index === 0 ? 'src/main.rs' : `src/${stem}.rs`;
    case 'java': return `src/${pascalCase(stem)}.java`;
    case 'shell': return `${kebab}.sh`;
    case 'html': return index === 0 ? 'index.html' : `${kebab}.html`;
    case 'css': return index === 0 ? 'styles.css' : `${kebab}.css`;
    case 'markdown': return index === 0 ? 'README.md' : `docs/${kebab}.md`;
    default: return `${stem}${EXTENSION[language]}`;
  }
}

/** The test of the project's main module (`main`), or of another module. */
function testPath(language: Language, stem: string, main: boolean): string {
  const kebab = kebabCase(stem);
  switch (language) {
    case 'python': return `tests/test_${stem}.py`;
    case 'javascript': return `test/${kebab}.test.js`;
    case 'typescript': return `test/${kebab}.test.ts`;
    case 'go': return main ? 'main_test.go' : `${stem}_test.go`;
    case 'rust': return `tests/${stem}_test.rs`;
    case 'java': return `test/${pascalCase(stem)}Test.java`;
    case 'shell': return `tests/test_${stem}.sh`;
    case 'ruby': return `test/test_${stem}.rb`;
    case 'c': return `tests/test_${stem}.c`;
    case 'cpp': return `tests/test_${stem}.cpp`;
    default: return sourcePath(language, `${stem}_notes`, main ? 1 : 2);
  }
}
