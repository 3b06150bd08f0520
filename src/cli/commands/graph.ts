import { Args, Flags } from '@oclif/core';
import { SopCommand } from '../base-command.js';

/** `sop graph --json`'s result: the drawing as text, in its format. */
export interface GraphResult {
  file: string;
  format: 'mermaid' | 'dot';
  graph: string;
}

export default class Graph extends SopCommand<GraphResult> {
  static override summary = 'Draw an SOP: roles (their tools and the files they write), the messages between them, gates and where the run ends.';
  static override description = `Mermaid (default; paste into Markdown) or Graphviz DOT (\`dot -Tsvg\`). Dashed edges are what a failing gate does (revise, route), so fix loops are visible. Edge labels say when an action runs (\`when\` its condition, \`max_runs\`); gates say when they are checked (\`if\`, \`enabled if\`). Each role's box lists the tools its model can call, by source (built-in, declared under \`tools\`, or an MCP server's), and the files each action writes (its artifacts' path templates).`;
  static override examples = [
    '<%= config.bin %> graph sops/software-company.yaml',
    '<%= config.bin %> graph sops/software-company.yaml --format dot | dot -Tsvg > sop.svg',
  ];
  static override args = {
    file: Args.string({ description: 'SOP file.', required: true }),
  };
  static override flags = {
    format: Flags.string({ description: 'Output format.', options: ['mermaid', 'dot'], default: 'mermaid' }),
  };

  async run(): Promise<GraphResult> {
    const { args, flags } = await this.parse(Graph);
    const { sop } = await this.loadSopPrintingWarnings(args.file);
    const format = flags.format === 'dot' ? 'dot' : 'mermaid';
    const graph = format === 'dot' ? (await import('../../graph/dot.js')).renderDot(sop) : (await import('../../graph/mermaid.js')).renderMermaid(sop);
    this.out(graph);
    return { file: args.file, format, graph };
  }
}
