import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFromSchema } from '../../../src/providers/offline/index.js';

interface MermaidApi {
  parse(text: string): Promise<{ diagramType: string }>;
}
let mermaid: MermaidApi;

beforeAll(async () => {
  // Mermaid's parser needs a DOM (DOMPurify); jsdom provides one.
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = ((await import('mermaid')) as unknown as { default: MermaidApi }).default;
});

const SCHEMA = {
  type: 'object',
  properties: {
    competitive_quadrant_chart: { type: 'string', description: 'Mermaid quadrantChart code of competitors' },
    data_structures_and_interfaces: { type: 'string', description: 'Use mermaid classDiagram code syntax' },
    program_call_flow: { type: 'string', description: 'Use mermaid sequenceDiagram code syntax' },
    workflow_mermaid: { type: 'string' },
  },
};

describe('Mermaid diagrams in JSON strings', () => {
  for (const prompt of ['Requirement: Build a todo CLI in Python', 'Requirement: "Ünïcode" app: with <tags>, [brackets] & a:colon; 100%', 'Requirement: 做一个待办事项应用']) {
    it(`are accepted by mermaid's own parser (${prompt.slice(13, 30)})`, async () => {
      const value = generateFromSchema(SCHEMA, { prompt }) as Record<string, string>;
      const types: string[] = [];
      for (const text of Object.values(value)) types.push((await mermaid.parse(text)).diagramType);
      expect(types).toEqual(['quadrantChart', 'classDiagram', 'sequence', 'flowchart-v2']);
      expect(Object.values(value).map((text) => text.split('\n')[0])).toEqual(['quadrantChart', 'classDiagram', 'sequenceDiagram', 'flowchart TD']);
    });
  }
});
