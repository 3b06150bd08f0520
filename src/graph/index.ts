export { buildSopGraph, type GraphEdge, type GraphNode, type GraphNodeKind, type SopGraph } from './model.js';
export { renderMermaid } from './mermaid.js';
export { renderDot } from './dot.js';
