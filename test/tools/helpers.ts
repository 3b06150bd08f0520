import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { Workspace } from '../../src/store/index.js';
import type { Tool, ToolLimits } from '../../src/tools/index.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder holding a workspace (`<dir>/ws`) and room outside it (`<dir>`) to check escapes. */
export function sandbox(): { dir: string; workspace: Workspace } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sop-tools-'));
  created.push(dir);
  mkdirSync(path.join(dir, 'ws'));
  return { dir, workspace: new Workspace(path.join(dir, 'ws')) };
}

/** What is in the sandbox outside the workspace. */
export function outside(dir: string): string[] {
  return readdirSync(dir).filter((name) => name !== 'ws').sort();
}

export const LIMITS: ToolLimits = { timeoutSeconds: 5, maxOutputBytes: 4096 };

export function byName(tools: Tool[], name: string): Tool {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
}
