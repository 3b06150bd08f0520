const SURROUNDING_FENCE = /^\s*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?\1\s*$/;
const ANY_FENCE = /(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?\1/g;

/**
 * `format: code`: the reply without one surrounding Markdown fence. When the code sits in the one
 * fenced block of a reply that also has prose, that block is the code. Otherwise the text as is.
 * Code always ends with a newline, as source files should.
 */
export function stripCodeFence(text: string): string {
  const surrounding = SURROUNDING_FENCE.exec(text);
  // `a` fenced, prose, `b` fenced also starts and ends with a fence: the body must hold none.
  const fence = surrounding?.[1] ?? '';
  const body = surrounding?.[2] ?? '';
  if (surrounding && !body.split('\n').some((line) => line.trimStart().startsWith(fence))) return ensureFinalNewline(body);
  const blocks = [...text.matchAll(ANY_FENCE)];
  if (blocks.length === 1) return ensureFinalNewline(blocks[0]?.[2] ?? '');
  return ensureFinalNewline(text);
}

function ensureFinalNewline(code: string): string {
  return code.endsWith('\n') || code === '' ? code : `${code}\n`;
}
