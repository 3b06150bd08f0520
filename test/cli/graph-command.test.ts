import { parse as parseDot } from '@ts-graphviz/ast';
import { JSDOM } from 'jsdom';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instance as vizInstance } from '@viz-js/viz';
import { STACK_LINE, badFixturesDir, removeTempDirs, repoRoot, sop } from './run-cli.js';

afterAll(removeTempDirs);

const softwareCompany = path.join(repoRoot, 'sops', 'software-company.yaml');
const company = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'software-company', 'sop.yaml');
let mermaid: (typeof import('mermaid'))['default'];

beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  mermaid = (await import('mermaid')).default;
});

describe('sop graph', () => {
  it('prints Mermaid (default) that the real mermaid parser accepts, with roles, gates, loops and the stop', async () => {
    const result = await sop(['graph', company]);
    expect(result.code).toBe(0);
    await expect(mermaid.parse(result.stdout)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(result.stdout).toMatch(/^flowchart TB$/m);
    expect(result.stdout).toContain('user -->|"UserRequirement"| role_product_manager');
    expect(result.stdout).toContain('gate_write_prd_1 -.->|"fail: revise x2"| role_product_manager');
    expect(result.stdout).toContain('role_engineer -->|"write_code: CodeWritten [foreach]"| role_qa_engineer');
    expect(result.stdout).toContain('role_qa_engineer -->|"run_tests: TestReport [command: node --version, batch]"| gate_run_tests_1');
    expect(result.stdout).toContain('gate_run_tests_1 -.->|"fail: ReviewComments"| role_engineer');
    expect(result.stdout).toContain('gate_run_tests_1 -->|"TestReport if payload.passed == true"| done');
  });

  it('bounds taken from inputs and preconditions are drawn on the action\'s edge', async () => {
    const debate = await sop(['graph', path.join(repoRoot, 'test', 'fixtures', 'reach', 'debate.yaml')]);
    expect(debate.code).toBe(0);
    await expect(mermaid.parse(debate.stdout)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(debate.stdout).toContain('role_pro -->|"ProArgument [max_runs inputs.turns]"| role_con');
    const check = await sop(['graph', path.join(repoRoot, 'test', 'fixtures', 'reach', 'data-check.yaml')]);
    expect(check.code).toBe(0);
    await expect(mermaid.parse(check.stdout)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(check.stdout).toContain("role_analyst -->|\"Findings [requires files[inputs.data].startsWith('date…]\"| role_auditor");
  });

  it('--format dot prints a digraph that @ts-graphviz/ast parses', async () => {
    const result = await sop(['graph', company, '--format', 'dot']);
    expect(result.code).toBe(0);
    const ast = parseDot(result.stdout);
    expect(ast.children[0]?.type).toBe('Graph');
    expect(result.stdout).toContain('"gate_run_tests_1" -> "role_engineer" [label="fail: ReviewComments", style=dashed];');
  });

  it('draws when an action runs (when.if), how often (max_runs), when a gate is checked (if, enabled) and its revise bound', async () => {
    const result = await sop(['graph', softwareCompany]);
    expect(result.code, result.stderr).toBe(0);
    await expect(mermaid.parse(result.stdout)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(result.stdout).toContain('user -->|"BugReport if inputs.bug != #quot;#quot;"| role_engineer');
    expect(result.stdout).toContain('role_engineer -->|"fix_code: CodeFixed [when !payload.passed, max_runs 3]"| gate_fix_code_1');
    expect(result.stdout).toContain('gate_fix_code_1{{"command gate: tests-pass<br/>if payload.language in vars.test_comma…<br/>on fail: revise x2, then warn"}}');
    expect(result.stdout).toContain('gate_write_tasks_2{{"human gate: approve-plan<br/>enabled if inputs.review<br/>on fail: revise x2, then stop"}}');
    // A long condition is cut so it does not stretch the drawing.
    expect(result.stdout).toContain('role_qa_engineer -->|"TestReport [when payload.language in vars.test_comma…, command: vars.test_command[messa…, batch]"| role_engineer');
  });

  it('lays the software company out readably: Graphviz draws it at most 3 times as wide as high', async () => {
    const result = await sop(['graph', softwareCompany, '--format', 'dot']);
    expect(result.code, result.stderr).toBe(0);
    // The real Graphviz layout (compiled to WebAssembly), as `dot -Tsvg` draws it.
    const svg = (await vizInstance()).renderString(result.stdout, { format: 'svg' });
    const size = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg);
    const [width, height] = [Number(size?.[1]), Number(size?.[2])];
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    expect(Math.max(width / height, height / width), `drawing is ${width}pt x ${height}pt`).toBeLessThanOrEqual(3);
  });

  it("each role's box lists its tools by source and the files its actions write, in Mermaid and DOT", async () => {
    const fixture = path.join(repoRoot, 'test', 'fixtures', 'graph', 'tools-artifacts.yaml');
    const result = await sop(['graph', fixture]);
    expect(result.code, result.stderr).toBe(0);
    await expect(mermaid.parse(result.stdout)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    // One line per source; `calc.*` stands for the server's allowed_tools; a tool two actions offer is listed once.
    expect(result.stdout).toContain(
      'role_researcher["Researcher<br/>researcher<br/>built-in tools: fs.read, shell<br/>declared tools: shout<br/>MCP docs: search<br/>MCP calc: add, word_count' +
        '<br/>research writes notes/{{ message.id }}.md, log.md (append)"]',
    );
    // A server without allowed_tools offers all its tools; a path chosen by one `if` shows its choices.
    expect(result.stdout).toContain('role_writer["Writer<br/>writer<br/>MCP docs: all tools<br/>write_report writes drafts/report.md #124; report.md"]');

    const dot = await sop(['graph', fixture, '--format', 'dot']);
    expect(dot.code, dot.stderr).toBe(0);
    expect(() => parseDot(dot.stdout)).not.toThrow();
    expect(dot.stdout).toContain(
      '"role_researcher" [label="Researcher\\nresearcher\\nbuilt-in tools: fs.read, shell\\ndeclared tools: shout\\nMCP docs: search\\nMCP calc: add, word_count' +
        '\\nresearch writes notes/{{ message.id }}.md, log.md (append)"];',
    );
    expect(dot.stdout).toContain('"role_writer" [label="Writer\\nwriter\\nMCP docs: all tools\\nwrite_report writes drafts/report.md | report.md"];');
  });

  it('the software company: each action\'s artifact paths, the tests\' path as its choices by language', async () => {
    const result = await sop(['graph', softwareCompany]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('role_product_manager["Product Manager<br/>product_manager<br/>write_prd writes docs/prd.md"]');
    expect(result.stdout).toContain(
      'role_engineer["Engineer<br/>engineer<br/>write_code writes {{ item.file }}<br/>fix_code writes {{ item.path }}<br/>fix_bug writes {{ item.path }}"]',
    );
    expect(result.stdout).toContain(
      'role_qa_engineer["QA Engineer<br/>qa_engineer<br/>write_tests writes tests/test_project.py #124; test/project.test.js #124; project_test.go #124; tests/project.rs"]',
    );
    const dot = await sop(['graph', softwareCompany, '--format', 'dot']);
    expect(dot.stdout).toContain('"role_qa_engineer" [label="QA Engineer\\nqa_engineer\\nwrite_tests writes tests/test_project.py | test/project.test.js | project_test.go | tests/project.rs"];');
  });

  it('an invalid SOP: exit 3 with the diagnostic, no stack, nothing on stdout', async () => {
    const result = await sop(['graph', 'typo-field.yaml'], { cwd: badFixturesDir });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^typo-field\.yaml:\d+:\d+: error SCHEMA_UNKNOWN_FIELD: /m);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
