import { Args, Flags } from '@oclif/core';
import { SopCommand } from '../base-command.js';
import { quoteArgument } from '../../runtime/shell-argument.js';

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

  /** `--format png`: the drawing is text; the hint names the two commands that turn it into an image. */
  protected override refusedOptionHint(flag: string, value: string): string | undefined {
    const image = value.toLowerCase();
    if (flag !== 'format' || !IMAGE_FORMATS.has(image)) return undefined;
    const file = sopFileOf(this.argv) ?? 'FILE';
    const out = `team.${image === 'jpeg' ? 'jpg' : image}`;
    const mermaidOut = MERMAID_CLI_FORMATS.has(image) ? out : 'team.png';
    return `the drawing is text (mermaid or dot), not an image: to get ${out}, run \`sop graph ${file} > team.mmd\` then \`npx -y @mermaid-js/mermaid-cli -i team.mmd -o ${mermaidOut}\`, `
      + `or with Graphviz installed \`sop graph ${file} --format dot | dot -T${image === 'jpeg' ? 'jpg' : image} -o ${out}\``;
  }

  async run(): Promise<GraphResult> {
    const { args, flags } = await this.parse(Graph);
    const { sop } = await this.loadSopPrintingWarnings(args.file);
    const format = flags.format === 'dot' ? 'dot' : 'mermaid';
    const graph = format === 'dot' ? (await import('../../graph/dot.js')).renderDot(sop) : (await import('../../graph/mermaid.js')).renderMermaid(sop);
    this.out(graph);
    return { file: args.file, format, graph };
  }
}

/** Image formats Graphviz's `dot -T` writes, asked for as `--format`. */
const IMAGE_FORMATS = new Set(['png', 'svg', 'pdf', 'jpg', 'jpeg', 'gif', 'webp']);
/** What mermaid-cli writes (`-o` by extension). */
const MERMAID_CLI_FORMATS = new Set(['png', 'svg', 'pdf']);

/** The SOP file among the words of a `sop graph` that did not parse: the first that is not a flag or `--format`'s value. */
function sopFileOf(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index]!;
    if (word === '--format') index += 1;
    else if (!word.startsWith('-')) return quoteArgument(word);
  }
  return undefined;
}
