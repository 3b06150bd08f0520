import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/providers/chat-model.js';
import { createOfflineModel } from '../../src/providers/offline/index.js';
import { runSop } from '../../src/runtime/index.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { FIXTURES, tempFolder } from './helpers/run-fixture.js';

/** The offline model, its calls held until `release`: the run holding the workspace stays live until then. */
function heldModel(): { model: ChatModel; asked: Promise<void>; release: () => void } {
  let release!: () => void;
  let noteAsked!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const asked = new Promise<void>((resolve) => (noteAsked = resolve));
  const offline = createOfflineModel();
  const model: ChatModel = {
    provider: 'held',
    capabilities: { nativeJsonSchema: false, tools: false, streaming: false },
    async complete(request: ChatRequest): Promise<ChatResponse> {
      noteAsked();
      await gate;
      return offline.complete(request);
    },
  };
  return { model, asked, release };
}

describe('a library caller and a held workspace', () => {
  it('a second runSop into the workspace of a live run is refused (WORKSPACE_LOCKED) with a hint that names the workspace option, not only the flag', async () => {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'pipeline.yaml'));
    const cwd = tempFolder();
    const workspace = path.join(cwd, 'ws');
    const held = heldModel();
    const first = runSop(sop, { inputs: { idea: 'a todo app' }, cwd, workspace, model: held.model, runId: 'first' });
    await held.asked;

    const second = runSop(sop, { inputs: { idea: 'another app' }, cwd, workspace, model: held.model, runId: 'second' });
    await expect(second).rejects.toMatchObject({ code: 'WORKSPACE_LOCKED', hint: expect.stringContaining("runSop's `workspace` option") });

    held.release();
    const ended = await first;
    expect(ended.status, JSON.stringify(ended.error)).toBe('completed');
    // The hold ended with the first run: the workspace takes a new run.
    expect((await runSop(sop, { inputs: { idea: 'a third app' }, cwd, workspace, model: held.model, runId: 'third' })).status).toBe('completed');
  });
});
