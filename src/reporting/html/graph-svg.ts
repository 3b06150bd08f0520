import { escapeXml } from '../xml.js';

/**
 * The team graph of `report.html` as inline SVG (no Mermaid, no script, no network): nodes in
 * columns by their distance from the user, what ran filled, failed gates red, and the edges the run
 * went along (`taken`, decided by the caller from the run's messages) drawn bold. Pure: the same graph and marks always give the same picture.
 */

/** The shape of `src/graph`'s `SopGraph` (drawn here; the CLI builds it from the resolved SOP). */
export interface ReportGraph {
  nodes: ReadonlyArray<{ id: string; kind: string; lines: readonly string[] }>;
  edges: ReadonlyArray<{ from: string; to: string; label: string; dashed: boolean }>;
}

/** What happened at a node: a role that ran, a gate that was checked (and failed at least once), the run's end reached. */
export type NodeMark = 'ran' | 'failed';

const CHAR_W = 6.6;
const LINE_H = 15;
const COL_GAP = 90;
const ROW_GAP = 26;
const PAD = 16;

interface Box {
  id: string;
  kind: string;
  lines: readonly string[];
  x: number;
  y: number;
  w: number;
  h: number;
}

/** An edge's key in the set of edges the run went along (`edgeKey`). */
export function edgeKey(edge: { from: string; to: string; label: string }): string {
  return `${edge.from}\u0000${edge.to}\u0000${edge.label}`;
}

export function renderGraphSvg(graph: ReportGraph, marks: Readonly<Record<string, NodeMark>>, taken: ReadonlySet<string>): string {
  const columns = columnsOf(graph);
  const boxes = new Map<string, Box>();
  let x = PAD;
  let height = 0;
  for (const column of columns) {
    const width = Math.max(...column.map((node) => boxWidth(node.lines)));
    let y = PAD;
    for (const node of column) {
      const h = node.lines.length * LINE_H + 12;
      boxes.set(node.id, { id: node.id, kind: node.kind, lines: node.lines, x, y, w: width, h });
      y += h + ROW_GAP;
    }
    height = Math.max(height, y);
    x += width + COL_GAP;
  }
  const parts: string[] = [];
  for (const edge of graph.edges) {
    const from = boxes.get(edge.from);
    const to = boxes.get(edge.to);
    if (!from || !to) continue;
    parts.push(edgeSvg(from, to, edge.label, edge.dashed, taken.has(edgeKey(edge))));
  }
  for (const box of boxes.values()) parts.push(nodeSvg(box, marks[box.id]));
  const width = Math.max(x - COL_GAP + PAD, 200);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="team-graph" role="img" aria-label="team graph" viewBox="0 0 ${round(width)} ${round(height + PAD)}" width="${round(width)}" height="${round(height + PAD)}">`
    + '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>'
    + `${parts.join('')}</svg>`;
}

/** Columns by the longest path from the user over forward edges (a back edge, a fix loop, does not push a node right). */
function columnsOf(graph: ReportGraph): Array<ReportGraph['nodes'][number][]> {
  const depth = new Map<string, number>();
  const order = graph.nodes.map((node) => node.id);
  const start = graph.nodes.find((node) => node.kind === 'start')?.id ?? order[0];
  if (start !== undefined) depth.set(start, 0);
  // Breadth-first: a node's column is one past the first node that reaches it (so loops stay left to right).
  const queue = start === undefined ? [] : [start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const d = depth.get(id) as number;
    for (const edge of graph.edges) {
      if (edge.from !== id || edge.dashed || depth.has(edge.to)) continue;
      depth.set(edge.to, d + 1);
      queue.push(edge.to);
    }
  }
  const last = Math.max(0, ...depth.values());
  const columns: Array<ReportGraph['nodes'][number][]> = [];
  for (const node of graph.nodes) {
    // Unreached nodes go to one column after the rest; the end of the run goes last.
    const d = node.kind === 'done' ? last + 1 : (depth.get(node.id) ?? last + 1);
    (columns[d] ??= []).push(node);
  }
  const filled = columns.filter((column) => column !== undefined && column.length > 0);
  // Fewer crossings: each column in the order of where its nodes' senders sit (barycenter, one pass left to right).
  const rowOf = new Map<string, number>();
  for (const column of filled) {
    const weight = (id: string): number => {
      const rows = graph.edges.filter((edge) => edge.to === id && rowOf.has(edge.from)).map((edge) => rowOf.get(edge.from) as number);
      return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((sum, row) => sum + row, 0) / rows.length;
    };
    const weights = new Map(column.map((node) => [node.id, weight(node.id)]));
    column.sort((a, b) => (weights.get(a.id) as number) - (weights.get(b.id) as number));
    column.forEach((node, row) => rowOf.set(node.id, row));
  }
  return filled;
}

function boxWidth(lines: readonly string[]): number {
  return Math.max(60, ...lines.map((line) => line.length * CHAR_W + 20));
}

function nodeSvg(box: Box, mark: NodeMark | undefined): string {
  const shape = box.kind === 'gate' ? 'gate' : box.kind === 'role' ? 'role' : 'terminal';
  const cls = `node ${shape}${mark ? ` ${mark}` : ''}`;
  const radius = box.kind === 'role' ? 6 : box.kind === 'gate' ? 0 : box.h / 2;
  const text = box.lines.map((line, index) => `<tspan x="${round(box.x + box.w / 2)}" y="${round(box.y + 18 + index * LINE_H)}"${index === 0 ? ' class="title"' : ''}>${escapeXml(line)}</tspan>`).join('');
  return `<g class="${cls}" data-node="${escapeXml(box.id)}"><title>${escapeXml(box.lines.join('\n'))}${mark ? ` (${mark})` : ''}</title>`
    + `<rect x="${round(box.x)}" y="${round(box.y)}" width="${round(box.w)}" height="${round(box.h)}" rx="${round(radius)}"/><text text-anchor="middle">${text}</text></g>`;
}

function edgeSvg(from: Box, to: Box, label: string, dashed: boolean, taken: boolean): string {
  const backwards = to.x <= from.x;
  const x1 = backwards ? from.x + from.w / 2 : from.x + from.w;
  const y1 = backwards ? from.y + from.h : from.y + from.h / 2;
  const x2 = backwards ? to.x + to.w / 2 : to.x;
  const y2 = backwards ? to.y + to.h : to.y + to.h / 2;
  // Forward edges bend horizontally; a loop back dips below both boxes.
  const path = backwards
    ? `M${round(x1)},${round(y1)} C${round(x1)},${round(y1 + 40)} ${round(x2)},${round(y2 + 40)} ${round(x2)},${round(y2)}`
    : `M${round(x1)},${round(y1)} C${round(x1 + COL_GAP / 2)},${round(y1)} ${round(x2 - COL_GAP / 2)},${round(y2)} ${round(x2)},${round(y2)}`;
  const lx = (x1 + x2) / 2;
  const ly = backwards ? Math.max(y1, y2) + 34 : (y1 + y2) / 2 - 4;
  const cls = `edge${dashed ? ' dashed' : ''}${taken ? ' taken' : ''}`;
  const shown = label.length > 28 ? `${label.slice(0, 27)}…` : label;
  return `<g class="${cls}"><title>${escapeXml(label)}</title><path d="${path}" marker-end="url(#arrow)"/><text x="${round(lx)}" y="${round(ly)}" text-anchor="middle">${escapeXml(shown)}</text></g>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

