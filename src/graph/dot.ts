import type { ResolvedSop } from '../spec/resolved.js';
import { buildSopGraph, type GraphNode, type SopGraph } from './model.js';

/** Renders an SOP as a Graphviz `digraph` (left to right), the same graph as the Mermaid output. */
export function renderDot(sop: ResolvedSop): string {
  return dotFromGraph(buildSopGraph(sop));
}

export function dotFromGraph(graph: SopGraph): string {
  const lines = [
    `digraph ${quoteDot(graph.name)} {`,
    '  rankdir=TB;',
    '  node [shape=box, style="rounded,filled", fillcolor="#f5f7ff", fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const node of graph.nodes) lines.push(`  ${quoteDot(node.id)} [${nodeAttributes(node)}];`);
  for (const edge of graph.edges) {
    const attributes = [`label=${quoteDot(edge.label)}`];
    if (edge.dashed) attributes.push('style=dashed');
    lines.push(`  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function nodeAttributes(node: GraphNode): string {
  const label = `label=${quoteDot(node.lines.join('\n'))}`;
  switch (node.kind) {
    case 'start':
      return `${label}, shape=circle, fillcolor="#e8f4e8"`;
    case 'done':
      return `${label}, shape=doublecircle, fillcolor="#e8f4e8"`;
    case 'gate':
      return `${label}, shape=hexagon, fillcolor="#fff4dd"`;
    case 'role':
      return label;
  }
}

/** A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`. */
export function quoteDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
