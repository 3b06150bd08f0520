const BY_EXTENSION: Record<string, string> = {
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  go: 'go',
  rs: 'rust',
  java: 'java',
  sh: 'shell',
  rb: 'ruby',
  c: 'c',
  cpp: 'cpp',
  html: 'html',
  css: 'css',
  md: 'markdown',
};

/** The language of a code file from its extension (`src/app.py` → python), if known. */
export function languageOfPath(filePath: string): string | undefined {
  const match = /\.([A-Za-z0-9]+)$/.exec(filePath.trim());
  return match ? BY_EXTENSION[(match[1] ?? '').toLowerCase()] : undefined;
}
