import { printableText } from '../../spec/text-encoding.js';
import { escapeXml } from '../xml.js';
import { REPORT_APP_JS, REPORT_CSS } from './report-app.js';
import type { ReportData } from './report-data.js';

/**
 * `report.html`: one self-contained page (inline style and script, no network), so it opens from
 * `file://`, from a CI artifact or a mail attachment alike. The data is embedded as JSON in a
 * `<script type="application/json">`, where only `<` needs escaping: as `\u003c`, no text from the
 * run (an answer holding `</script>`) can end the element early. Every string of the data is
 * printable text: a command's colour codes would show as boxes or vanish with their meaning.
 */
export function renderReportPage(data: ReportData): string {
  const title = `${data.run?.sop ?? 'sop run'} ${data.run?.id ?? ''}: ${data.end?.status ?? 'no end recorded'}`;
  return renderPage(title, 'report-data', data, REPORT_APP_JS, `<header id="summary"></header>
<nav><a href="#timeline">Timeline</a><a href="#graph">Team graph</a><a href="#calls">Model calls</a><a href="#messages">Messages</a><a href="#gates">Gates</a><a href="#tools">Tools</a><a href="#usage">Cost and tokens</a><a href="#problems">Errors</a></nav>
<main id="sections"><div id="detail" hidden></div></main>`);
}

/** A page of the report family: the shared style sheet, the embedded data and its script. */
export function renderPage(title: string, dataId: string, data: unknown, script: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sop">
<title>${escapeXml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
<script type="application/json" id="${dataId}">${embedJson(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/**
 * JSON that cannot close its script element nor open a comment: every `<` as `\u003c` (and the two
 * line separators JavaScript once refused); its strings printable (`printableText`).
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? printableText(item) : item)).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
