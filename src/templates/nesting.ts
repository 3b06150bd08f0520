/** Deepest block nesting accepted: far beyond any real template, well within what both parsers follow. */
export const MAX_BLOCK_DEPTH = 100;

/** Liquid block tags and their `end` tags (`{% if %}` … `{% endif %}`). */
const LIQUID_BLOCK = /\{%-?\s*(end)?(if|unless|for|case|capture|tablerow|comment|raw)\b/g;
/** Handlebars block openers (`{{#if}}`, `{{^x}}`, `{{#> partial}}`) and closers (`{{/if}}`); a bare `{{^}}` is an else. */
const HANDLEBARS_BLOCK = /\{\{~?\s*(?:(\/)|#|\^(?!\s*~?\}\}))/g;

/**
 * How deeply blocks nest, counted from their tags without parsing: both parsers recurse once per
 * level (Handlebars' also slows down quadratically), so a template nested thousands deep is
 * refused before either is asked to read it.
 */
export function blockDepth(text: string, engine: 'liquid' | 'handlebars'): number {
  const pattern = engine === 'liquid' ? LIQUID_BLOCK : HANDLEBARS_BLOCK;
  let depth = 0;
  let deepest = 0;
  for (const match of text.matchAll(pattern)) {
    depth = match[1] ? Math.max(0, depth - 1) : depth + 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}
