/**
 * Markdown and plain text from the offline model: a title from the output type, the offline
 * notice, and one section per section the prompt asks for (its `## headings`, else its list
 * items), each with a short deterministic placeholder paragraph.
 */

import { OFFLINE_NOTICE, pick, type OfflineContext } from './request-context.js';
import { capitalizeFirst, humanize } from './text-utils.js';

const MAX_SECTIONS = 12;
const DEFAULT_SECTIONS = ['Overview', 'Details', 'Next steps'];

/** Headings the prompt asks for: its Markdown headings, else its list items, else defaults. */
function requestedSections(prompt: string): string[] {
  const headings: string[] = [];
  const items: string[] = [];
  for (const line of prompt.split(/\r?\n/)) {
    const heading = /^\s{0,3}#{1,6}\s+(.+)$/.exec(line);
    if (heading?.[1]) headings.push(heading[1]);
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.+)$/.exec(line);
    if (item?.[1]) items.push(item[1]);
  }
  const chosen = headings.length > 0 ? headings : items;
  const seen = new Set<string>();
  const sections: string[] = [];
  for (const raw of chosen) {
    const title = sectionTitle(raw);
    const key = title.toLowerCase();
    if (title.length === 0 || seen.has(key)) continue;
    seen.add(key);
    sections.push(title);
    if (sections.length === MAX_SECTIONS) break;
  }
  return sections.length > 0 ? sections : DEFAULT_SECTIONS;
}

/** `**Goals**: what the product must achieve` → `Goals`; long lines keep their first words. */
function sectionTitle(raw: string): string {
  const plain = raw
    .replace(/[*_`#[\]<>|]/g, '')
    .replace(/\(.*?\)/g, '')
    .trim();
  const head = plain.split(/\s*(?::|\s-\s|\s–\s|\s—\s)\s*/)[0] ?? plain;
  const words = head.split(/\s+/).filter((word) => word.length > 0);
  const short = words.slice(0, 6).join(' ').replace(/[.,;:!?]+$/, '');
  return capitalizeFirst(short);
}

export interface MarkdownOptions {
  /** The document's title (H1). */
  title: string;
  context: OfflineContext;
}

export function markdownDocument({ title, context }: MarkdownOptions): string {
  const lines = [`# ${title}`, '', `> ${OFFLINE_NOTICE}`, '', `Request: ${context.task}.`, ''];
  for (const section of requestedSections(context.prompt)) {
    const lower = section.toLowerCase();
    const sentence = pick(context, section, [
      `This section covers the ${lower} of ${context.topic}.`,
      `${context.topic}: ${lower}, to be completed by a real model or a person.`,
      `Placeholder for the ${lower} of ${context.topic}, written without an LLM.`,
    ]);
    lines.push(`## ${section}`, '', sentence, '', `- ${context.topic} ${lower}: first point`, `- ${context.topic} ${lower}: second point`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** H1 for an action's markdown output: the output type in words and the topic. */
export function documentTitle(outputType: string, action: string, context: OfflineContext): string {
  const kind = humanize(outputType || action) || 'Document';
  return `${capitalizeFirst(kind)}: ${context.topic}`;
}

/** A short paragraph for `format: text`, starting with the notice. */
export function textParagraph(action: string, context: OfflineContext): string {
  const what = humanize(action) || 'answer';
  const closing = pick(context, 'text', [
    'Replace it by configuring a real model provider.',
    'Configure a model provider for real content.',
    'A real model would write this part.',
  ]);
  return `${OFFLINE_NOTICE} ${capitalizeFirst(what)} for ${context.topic}: ${context.task}. ${closing}\n`;
}
