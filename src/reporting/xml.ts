import { printableText } from '../spec/text-encoding.js';

/**
 * XML 1.0 text: terminal escape sequences (a command's colours) removed; characters XML cannot hold
 * at all (most C0 controls, lone surrogates, U+FFFE/FFFF) become U+FFFD; markup characters become
 * entities, quotes too, so the result fits in attributes.
 */
export function escapeXml(text: string): string {
  return printableText(text)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * ` name="value"` pairs, escaped; undefined values are left out. Line breaks and tabs become
 * character references, which attribute-value normalization would otherwise turn into spaces.
 */
export function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value)).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`)
    .join('');
}
