import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

/**
 * Runs of one SOP share its default workspace (`workspace/<name>`): the second run is told that
 * files of earlier runs are there, and how to get a fresh workspace. Not with --workspace, --quiet
 * or --json, and not when the workspace is empty.
 */
afterAll(removeTempDirs);

const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: doc-writer, version: 1.0.0, description: writes one document }
messages:
  Idea: { description: the idea }
  Doc: { description: the document }
stop_when: { type: Doc }
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a short document about {{ message.content }}"
        output: { type: Doc, format: markdown }
        artifacts: [{ path: doc.md }]
`;

function project(): string {
  const cwd = tempDir('sop-earlier-files-');
  writeFileSync(path.join(cwd, 'doc.yaml'), SOP);
  return cwd;
}

const NOTE = 'note: workspace/doc-writer already holds files of earlier runs (doc.md): this run writes beside them, replacing only the files it writes; pass --workspace DIR for a fresh workspace\n';

describe.concurrent('a run into a default workspace that holds files', () => {
  it('the second run of an SOP names what the first left there; the first, into an empty or missing workspace, says nothing', async () => {
    const cwd = project();
    const first = await sop(['run', 'doc.yaml', 'tides'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('note: workspace/');
    const second = await sop(['run', 'doc.yaml', 'winds'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(NOTE);

    const empty = project();
    mkdirSync(path.join(empty, 'workspace', 'doc-writer'), { recursive: true });
    const intoEmpty = await sop(['run', 'doc.yaml', 'tides'], { cwd: empty });
    expect(intoEmpty.stderr).not.toContain('note: workspace/');
  });

  it('names three entries and counts the rest; offers --inc only to an SOP that has an incremental mode', async () => {
    const cwd = project();
    writeFileSync(path.join(cwd, 'doc.yaml'), SOP.replace('start:', 'inputs:\n  idea: { type: string }\n  inc: { type: boolean, default: false }\nstart:'));
    const workspace = path.join(cwd, 'workspace', 'doc-writer');
    mkdirSync(workspace, { recursive: true });
    for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt']) writeFileSync(path.join(workspace, name), name);
    const run = await sop(['run', 'doc.yaml', 'tides'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'note: workspace/doc-writer already holds files of earlier runs (a.txt, b.txt, c.txt, and 2 more): this run writes beside them, replacing only the files it writes; pass --workspace DIR for a fresh workspace, or --inc --workspace workspace/doc-writer to work on what is there\n',
    );
  });

  it('says nothing with --workspace (the user chose the folder), --quiet or --json', async () => {
    const cwd = project();
    expect((await sop(['run', 'doc.yaml', 'tides'], { cwd })).code).toBe(0);
    for (const flags of [['--workspace', 'workspace/doc-writer'], ['--quiet'], ['--json']]) {
      const run = await sop(['run', 'doc.yaml', 'winds', ...flags], { cwd });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr, flags.join(' ')).not.toContain('note: workspace/');
    }
  });
});
