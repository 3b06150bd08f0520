import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, repoRoot, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * report.html shows what a reader of the run needs beside its actions: an MCP tool its server
 * listed that the run did not offer (`tool-skipped`: server, tool, why), and the recorded paths a
 * `sop resume` did not use because the project moved (`run-resume`'s `followed`). The page is the
 * real one a run leaves, its script run by jsdom: what is checked is what a browser draws.
 */
afterAll(removeTempDirs);

/** The page a run left in its record, drawn by its own script. */
function drawn(cwd: string): Document {
  const runs = path.join(cwd, '.sop', 'runs');
  const runId = readdirSync(runs).find((name) => !name.startsWith('.')) as string;
  const html = readFileSync(path.join(runs, runId, 'report.html'), 'utf8');
  // jsdom lays nothing out: scrolling to an opened action does nothing.
  const beforeParse = (window: JSDOM['window']): void => {
    window.HTMLElement.prototype.scrollIntoView = () => undefined;
  };
  return new JSDOM(html, { runScripts: 'dangerously', beforeParse }).window.document;
}

function text(element: Element | null): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ');
}

describe('report.html', () => {
  it('an MCP tool skipped at listing: its server, tool and why, in the Tools section, the action, the timeline and the warnings', { timeout: 90_000 }, async () => {
    const cwd = tempDir('sop-html-skipped-');
    const server = path.join(repoRoot, 'test', 'support', 'mcp', 'test-server.mjs');
    const fixture = readFileSync(path.join(repoRoot, 'test', 'fixtures', 'tools', 'mcp-sop.yaml'), 'utf8');
    writeFileSync(
      path.join(cwd, 'sop.yaml'),
      fixture.replace('command: [node, ../../support/mcp/test-server.mjs]', `command: [node, ${JSON.stringify(server)}]`).replace('allowed_tools: [add, word_count]', 'allowed_tools: [add, broken]'),
    );
    const run = await sop(['run', 'sop.yaml', 'what is 2 + 3?', '--workspace', 'out'], { cwd, env: { HOME: cwd } });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code, run.stderr).toBe(0);

    const page = drawn(cwd);
    const why = 'its input schema does not compile (schema is invalid: data/properties/n/minimum must be number)';
    const rows = [...page.querySelectorAll('#tools tr.skipped-tool')].map((row) => [...row.querySelectorAll('td')].map((cell) => text(cell)));
    expect(rows).toEqual([['1', 'analyst / answer', 'calc', 'calc.broken', why]]);
    expect(text(page.querySelector('.timeline .bar'))).toContain('1 MCP tool skipped');
    expect(text(page.querySelector('#problems'))).toContain(`tool skipped (round 1): calc.broken of MCP server calc was not offered: ${why}`);
    // A click on the action's bar opens its detail.
    const window = page.defaultView as Window;
    const opened = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
    (page.querySelector('.timeline .bar') as HTMLElement).click();
    await opened;
    expect([...page.querySelectorAll('#detail tr.skipped-tool code')].map((cell) => cell.textContent)).toEqual(['calc.broken']);
  });

  it('a resume of a moved project: the header names each recorded path followed, old and new, as text', { timeout: 90_000 }, async () => {
    const parent = tempDir('sop-html-followed-');
    const before = path.join(parent, 'project');
    mkdirSync(before);
    writeFileSync(
      path.join(before, 'sop.yaml'),
      `apiVersion: sop/v1
kind: SOP
metadata: { name: two-rounds, version: 0.1.0 }
messages:
  Idea: {}
  Draft: {}
  Notes: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Notes }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions: [{ id: write, prompt: "Write about {{ inputs.idea }}", output: { type: Draft, format: markdown }, artifacts: [{ path: draft.md }] }]
  editor:
    profile: Editor
    watch: [Draft]
    actions: [{ id: note, prompt: "Note: {{ message.content }}", output: { type: Notes, format: markdown }, artifacts: [{ path: notes.md }] }]
`,
    );
    const first = await sop(['run', 'sop.yaml', 'owls', '--n-round', '1'], { cwd: before });
    expect(first.code, first.stderr).toBe(5);
    // A folder name a browser would read as markup, were it not set as text.
    const after = path.join(parent, 'moved <b>here');
    renameSync(before, after);
    const runId = readdirSync(path.join(after, '.sop', 'runs')).find((name) => !name.startsWith('.')) as string;
    const resumed = await sop(['resume', runId, '--n-round', '3'], { cwd: after });
    expect(resumed.stderr).not.toMatch(STACK_LINE);
    expect(resumed.code, resumed.stderr).toBe(0);

    const page = drawn(after);
    const resumes = page.querySelector('#summary #resumes');
    expect(text(resumes)).toContain('Resumed after round 1 (the attempt before ended round_limit), following:');
    expect([...(resumes?.querySelectorAll('li.followed') ?? [])].map((item) => text(item))).toEqual([
      `SOP ${path.join(before, 'sop.yaml')} → ${path.join(after, 'sop.yaml')} (the same place within the project, which was moved or copied)`,
      `workspace ${path.join(before, 'workspace', 'two-rounds')} → ${path.join(after, 'workspace', 'two-rounds')} (the same place within the project, which was moved or copied)`,
    ]);
    expect(page.querySelectorAll('#resumes b')).toHaveLength(0);
  });
});
