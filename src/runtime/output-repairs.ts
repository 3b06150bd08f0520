import { extractJsonText } from '../outputs/index.js';

/**
 * What had to be fixed in a JSON reply before it parsed, in words for the event log: the outputs
 * module extracts and repairs (`jsonrepair`) silently; this names what it did, from the raw text.
 * Empty when the reply was plain JSON. The syntax names are recognised by pattern (a best effort:
 * `JSON syntax` when none matches).
 */
export function jsonRepairs(raw: string): string[] {
  const repairs: string[] = [];
  const candidate = extractJsonText(raw);
  const start = raw.indexOf(candidate);
  if (/```/.test(raw)) repairs.push('code fence');
  const outside = start >= 0 ? raw.slice(0, start) + raw.slice(start + candidate.length) : '';
  if (outside.replace(/```[^\n`]*/g, '').trim() !== '') repairs.push('prose around the JSON');
  if (!parses(candidate)) repairs.push(...syntaxRepairs(candidate));
  return repairs;
}

const SYNTAX_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['trailing comma', /,\s*[}\]]/],
  ['comments', /(^|[^:"'\\])\/\/|\/\*/m],
  ['single quotes', /'[^'\n]*'\s*[:,}\]]/],
  ['unquoted keys', /[{,]\s*[A-Za-z_$][\w$]*\s*:/],
  ['Python constants', /[:,[]\s*(None|True|False)\b/],
];

function syntaxRepairs(candidate: string): string[] {
  const found = SYNTAX_PATTERNS.filter(([, pattern]) => pattern.test(candidate)).map(([name]) => name);
  if (unbalanced(candidate)) found.push('truncated (closed brackets)');
  return found.length > 0 ? found : ['JSON syntax'];
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** More `{`/`[` opened than closed outside strings: the reply was cut off. */
function unbalanced(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
  }
  return depth > 0 || inString;
}

/** The fields named by `required` errors (`/title: required property is missing` → `/title`). */
export function missingFields(errors: readonly string[]): string[] {
  return errors.flatMap((line) => {
    const match = /^(.*): required property is missing$/.exec(line);
    return match ? [match[1] as string] : [];
  });
}
