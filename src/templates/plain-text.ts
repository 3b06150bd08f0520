/**
 * A Liquid text with no markup (no `{{`, no `{%`) renders as itself whatever the context: it needs
 * no liquidjs, so an SOP whose texts are all plain never loads it (src/templates/liquid-engine.ts).
 */
export function isPlainText(text: string): boolean {
  return !text.includes('{{') && !text.includes('{%');
}
