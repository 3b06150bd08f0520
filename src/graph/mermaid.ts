import type { ResolvedSop } from '../spec/resolved.js';
import { buildSopGraph, type GraphNode, type SopGraph } from './model.js';

/**
 * Renders an SOP as a Mermaid `flowchart TB` (top to bottom: a long pipeline stays readable): roles are boxes (profile over id), `user` is a
 * circle, `done` a double circle, gates hexagons; a gate's failure path is a dashed edge.
 */
export function renderMermaid(sop: ResolvedSop): string {
  return mermaidFromGraph(buildSopGraph(sop));
}

export function mermaidFromGraph(graph: SopGraph): string {
  const lines = ['flowchart TB'];
  for (const node of graph.nodes) lines.push(`  ${node.id}${shape(node)}`);
  for (const edge of graph.edges) {
    const arrow = edge.dashed ? '-.->' : '-->';
    lines.push(`  ${edge.from} ${arrow}|"${escapeMermaid(edge.label)}"| ${edge.to}`);
  }
  lines.push('  classDef gate fill:#fff4dd,stroke:#c98a00');
  lines.push('  classDef terminal fill:#e8f4e8,stroke:#2e7d32');
  const gates = graph.nodes.filter((node) => node.kind === 'gate').map((node) => node.id);
  if (gates.length > 0) lines.push(`  class ${gates.join(',')} gate`);
  const terminals = graph.nodes.filter((node) => node.kind === 'start' || node.kind === 'done').map((node) => node.id);
  lines.push(`  class ${terminals.join(',')} terminal`);
  return `${lines.join('\n')}\n`;
}

function shape(node: GraphNode): string {
  const label = `"${node.lines.map(escapeMermaid).join('<br/>')}"`;
  switch (node.kind) {
    case 'start':
      return `((${label}))`;
    case 'done':
      return `(((${label})))`;
    case 'gate':
      return `{{${label}}}`;
    case 'role':
      return `[${label}]`;
  }
}

/**
 * Quoted Mermaid labels cannot hold `"`, and `<`/`>` would be read as HTML: use Mermaid's entity
 * codes. `#` starts an entity and `&` an HTML one (`&amp;` would show as `&`), so both are encoded
 * too; line breaks become spaces.
 */
export function escapeMermaid(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;')
    .replace(/[\r\n]+/g, ' ');
}
