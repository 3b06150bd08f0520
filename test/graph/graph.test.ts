import { parse as parseDot } from '@ts-graphviz/ast';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDot } from '../../src/graph/dot.js';
import { buildSopGraph } from '../../src/graph/model.js';
import { renderMermaid } from '../../src/graph/mermaid.js';
import { role, softwareCompanySop, sop } from './resolved-sop-builder.js';

type Mermaid = (typeof import('mermaid'))['default'];
let mermaid: Mermaid;

beforeAll(async () => {
  // mermaid (and DOMPurify inside it) need a DOM; jsdom gives Node one.
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import('mermaid')).default;
});

describe('renderMermaid', () => {
  it('draws the software company as a flowchart the real mermaid parser accepts', async () => {
    const text = renderMermaid(softwareCompanySop());
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(text.startsWith('flowchart TB\n')).toBe(true);
  });

  it('shows roles, start, done, gates, loops and markers', () => {
    const text = renderMermaid(softwareCompanySop());
    expect(text).toContain('user(("user"))');
    expect(text).toContain('role_product_manager["Product Manager<br/>product_manager"]');
    expect(text).toContain('role_qa_engineer["QA Engineer #lt;tests#gt;<br/>qa_engineer"]');
    expect(text).toContain('done((("done")))');
    expect(text).toContain('user -->|"UserRequirement"| role_product_manager');
    // The judge gate sits between the PM and the architect; revise is a dashed loop back.
    expect(text).toContain('gate_write_prd_1{{"judge gate: prd_quality<br/>on fail: revise x2, then stop"}}');
    expect(text).toContain('role_product_manager -->|"write_prd: PRD"| gate_write_prd_1');
    expect(text).toContain('gate_write_prd_1 -->|"PRD"| role_architect');
    expect(text).toContain('gate_write_prd_1 -.->|"fail: revise x2"| role_product_manager');
    expect(text).toContain('role_engineer -->|"write_code: CodeWritten [foreach]"| role_qa_engineer');
    expect(text).toContain('role_engineer -->|"fix_code: CodeWritten"| role_qa_engineer');
    expect(text).toContain('role_architect -->|"SystemDesign"| role_project_manager');
    expect(text).toContain('role_qa_engineer -->|"run_tests: TestReport [command: npm test, batch]"| gate_run_tests_1');
    // The routed failure goes back to the engineer: the fix loop is visible.
    expect(text).toContain('gate_run_tests_1 -.->|"fail: ReviewComments"| role_engineer');
    expect(text).toContain('gate_run_tests_1 -->|"TestReport if payload.passed == true"| done');
    expect(text).toContain('gate_run_tests_1 -->|"TestReport"| role_engineer');
  });

  it('escapes quotes, angle brackets, # and | in labels so the chart still parses', async () => {
    const tricky = sop({
      start: [{ type: 'Ask' }],
      roles: [role('end', 'The "best" <b>role</b> | #1', ['Ask'], [{ id: 'answer', output: 'Answer' }])],
      stopWhen: [{ type: 'Answer', if: 'content != "" || content.size() > 0' }],
    });
    const text = renderMermaid(tricky);
    expect(text).not.toMatch(/"The "best"/);
    await expect(mermaid.parse(text)).resolves.toBeTruthy();
  });

  it('a real parse check can fail: broken Mermaid is rejected', async () => {
    await expect(mermaid.parse('flowchart LR\n  a -->|"x| b')).rejects.toThrow();
  });
});

describe('renderDot', () => {
  it('draws the same graph as a digraph that @ts-graphviz/ast parses', () => {
    const company = softwareCompanySop();
    const text = renderDot(company);
    const ast = parseDot(text);
    const graph = ast.children[0];
    expect(graph?.type).toBe('Graph');
    const statements = (graph as { children: Array<{ type: string }> }).children;
    const model = buildSopGraph(company);
    expect(statements.filter((s) => s.type === 'Node')).toHaveLength(model.nodes.length);
    expect(statements.filter((s) => s.type === 'Edge')).toHaveLength(model.edges.length);
    expect(text).toContain('"gate_write_prd_1" -> "role_product_manager" [label="fail: revise x2", style=dashed];');
    expect(text).toContain('"gate_write_prd_1" [label="judge gate: prd_quality\\non fail: revise x2, then stop", shape=hexagon');
  });

  it('escapes quotes and backslashes', () => {
    const tricky = sop({
      start: [{ type: 'Ask' }],
      roles: [role('writer', 'Say "hi" \\ bye', ['Ask'], [{ id: 'answer', output: 'Answer' }])],
    });
    const text = renderDot(tricky);
    expect(text).toContain('label="Say \\"hi\\" \\\\ bye\\nwriter"');
    expect(() => parseDot(text)).not.toThrow();
  });
});

describe('buildSopGraph', () => {
  it('shortens long command lines in edge labels', () => {
    const graph = buildSopGraph(
      sop({
        start: [{ type: 'Go' }],
        roles: [
          role('qa', 'QA', ['Go'], [{ id: 'test', output: 'Report', command: ['python3', '-m', 'unittest', 'discover', '-s', 'tests', '-v'] }]),
          role('lead', 'Lead', ['Report'], [{ id: 'read', output: 'Note' }]),
        ],
      }),
    );
    expect(graph.edges).toContainEqual({ from: 'role_qa', to: 'role_lead', label: 'Report [command: python3 -m unittest dis…]', dashed: false });
  });

  it('shows a path chosen by one if/case as its choices, any other template as written (cut when long)', () => {
    const paths = [
      '{{#if inputs.draft}}drafts/a.md{{else}}a.md{{/if}}',
      '{% if a %}x.md{% endif %}',
      'out/{% if a %}x{% else %}y{% endif %}.md',
      '{% if a %}{% if b %}x.md{% endif %}{% else %}y.md{% endif %}',
      'reports/{{ message.payload.customer.region }}/{{ message.payload.customer.id }}.md',
    ];
    const graph = buildSopGraph(
      sop({ start: [{ type: 'Go' }], roles: [role('writer', 'Writer', ['Go'], paths.map((path, index) => ({ id: `w${index}`, output: 'Doc', artifacts: [path] })))] }),
    );
    expect(graph.nodes.find((node) => node.id === 'role_writer')?.lines).toEqual([
      'Writer',
      'writer',
      'w0 writes drafts/a.md | a.md',
      // One choice, text outside the branch, a nested branch: not a plain choice of paths.
      'w1 writes {% if a %}x.md{% endif %}',
      'w2 writes out/{% if a %}x{% else %}y{% endif %}.md',
      'w3 writes {% if a %}{% if b %}x.md{% endif %}{% e…',
      'w4 writes reports/{{ message.payload.customer.reg…',
    ]);
  });

  it('routes a failed gate to the other roles watching the type, never back to the sender', () => {
    const graph = buildSopGraph(
      sop({
        start: [{ type: 'Task' }],
        roles: [
          role('coder', 'Coder', ['Task', 'Fix'], [
            { id: 'code', output: 'Code', gates: [{ declared: { assert: 'true', on_fail: { revise: 1, route: 'Fix' } } }] },
          ]),
          role('reviewer', 'Reviewer', ['Code', 'Fix'], [{ id: 'review', output: 'Fix', when: ['Code'] }]),
        ],
      }),
    );
    const failures = graph.edges.filter((edge) => edge.dashed);
    expect(failures).toEqual([
      { from: 'gate_code_1', to: 'role_coder', label: 'fail: revise x1', dashed: true },
      { from: 'gate_code_1', to: 'role_reviewer', label: 'fail: Fix', dashed: true },
    ]);
    expect(graph.nodes.find((node) => node.id === 'gate_code_1')?.lines).toEqual(['assert gate', 'on fail: revise x1, then route Fix']);
  });

  it('addresses `to` only to that role and never to the sender; no done node without stop_when', () => {
    const graph = buildSopGraph(
      sop({
        start: [{ type: 'Task', to: 'b' }],
        roles: [
          role('a', 'A', ['Task', 'Note'], [{ id: 'note_a', output: 'Note' }]),
          role('b', 'B', ['Task', 'Note'], [{ id: 'note_b', output: 'Note', to: 'a' }]),
        ],
      }),
    );
    expect(graph.edges).toEqual([
      { from: 'user', to: 'role_b', label: 'Task', dashed: false },
      { from: 'role_a', to: 'role_b', label: 'Note', dashed: false },
      { from: 'role_b', to: 'role_a', label: 'Note', dashed: false },
    ]);
    expect(graph.nodes.map((n) => n.id)).toEqual(['user', 'role_a', 'role_b']);
  });
});
