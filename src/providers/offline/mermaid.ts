/**
 * Small, valid Mermaid diagrams for string fields that ask for one (the software-company SOP
 * asks for a competitive quadrant chart, a class diagram and a sequence diagram).
 */

import { pascalCase } from './text-utils.js';

export type DiagramKind = 'quadrantChart' | 'classDiagram' | 'sequenceDiagram' | 'flowchart';

const MERMAID_WORDS = /mermaid|quadrantchart|classdiagram|sequencediagram|flowchart/i;

/** Whether a field (by name and description) asks for Mermaid text, by name or diagram keyword. */
export function wantsMermaid(name: string, description: string): boolean {
  return MERMAID_WORDS.test(name) || MERMAID_WORDS.test(description);
}

/**
 * The diagram a field asks for: an explicit keyword (`classDiagram`) wins, earliest first;
 * then the words competitive/quadrant, sequence, class; else a flowchart.
 */
export function diagramKind(name: string, description: string): DiagramKind {
  const text = `${name} ${description}`.toLowerCase();
  const explicit: Array<[number, DiagramKind]> = (
    [
      ['quadrantchart', 'quadrantChart'],
      ['classdiagram', 'classDiagram'],
      ['sequencediagram', 'sequenceDiagram'],
      ['flowchart', 'flowchart'],
    ] as const
  )
    .map(([word, kind]): [number, DiagramKind] => [text.indexOf(word), kind])
    .filter(([at]) => at >= 0)
    .sort((left, right) => left[0] - right[0]);
  if (explicit[0]) return explicit[0][1];
  if (/competitive|quadrant/.test(text)) return 'quadrantChart';
  if (/sequence/.test(text)) return 'sequenceDiagram';
  if (/class/.test(text)) return 'classDiagram';
  return 'flowchart';
}

/** Letters, digits and spaces only: safe in every diagram's labels. */
function label(text: string): string {
  return text.replace(/[^\p{L}\p{N} ]+/gu, ' ').replace(/\s+/g, ' ').trim() || 'Project';
}

export function mermaidDiagram(kind: DiagramKind, topic: string): string {
  const name = label(topic);
  const type = pascalCase(name) || 'Project';
  switch (kind) {
    case 'quadrantChart':
      return [
        'quadrantChart',
        `    title Reach and engagement of ${name} alternatives`,
        '    x-axis Low Reach --> High Reach',
        '    y-axis Low Engagement --> High Engagement',
        '    quadrant-1 Expand',
        '    quadrant-2 Promote',
        '    quadrant-3 Re-evaluate',
        '    quadrant-4 Improve',
        '    Existing tool A: [0.3, 0.6]',
        '    Existing tool B: [0.45, 0.23]',
        '    Existing tool C: [0.57, 0.69]',
        `    Our ${name}: [0.7, 0.8]`,
      ].join('\n');
    case 'classDiagram':
      return [
        'classDiagram',
        `    class ${type} {`,
        '        +String name',
        '        +run(args) int',
        '    }',
        `    class ${type}Store {`,
        '        +load() list',
        '        +save(items) bool',
        '    }',
        `    ${type} --> ${type}Store : uses`,
      ].join('\n');
    case 'sequenceDiagram':
      return [
        'sequenceDiagram',
        '    participant User',
        `    participant ${type}`,
        `    participant ${type}Store`,
        `    User->>${type}: run with arguments`,
        `    ${type}->>${type}Store: load()`,
        `    ${type}Store-->>${type}: items`,
        `    ${type}-->>User: result`,
      ].join('\n');
    case 'flowchart':
      return [
        'flowchart TD',
        `    start([Start]) --> input[${name} input]`,
        '    input --> process[Process the request]',
        '    process --> output[Show the result]',
        '    output --> finish([End])',
      ].join('\n');
  }
}
