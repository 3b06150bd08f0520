import { describe, expect, it } from 'vitest';
import type { ResolvedAction, ResolvedRole } from '../../src/spec/resolved.js';
import { SystemPrompts } from '../../src/runtime/system-prompt.js';

// Pure: roles and actions are plain objects with the fields the prompts read.
const role = { id: 'engineer', profile: 'Engineer', goal: 'ship it', constraints: [] } as unknown as ResolvedRole;
const action = (id: string, format: string): ResolvedAction => ({ id, output: { type: 'Code', format } }) as unknown as ResolvedAction;

describe('system prompts', () => {
  it('one per action and language, each built once', () => {
    const prompts = new SystemPrompts();
    const write = action('write', 'code');
    const python = prompts.forAction(role, write, undefined, 'python');
    expect(python).toContain('Reply with the code only (python)');
    expect(prompts.forAction(role, write, undefined, 'go')).toContain('Reply with the code only (go)');
    expect(prompts.forAction(role, write, undefined, undefined)).toContain('Reply with the code only, without explanations.');
    expect(prompts.forAction(role, write, undefined, 'python')).toBe(python);
    // Another action of the same role has its own prompt.
    expect(prompts.forAction(role, action('notes', 'markdown'), undefined, 'python')).toContain('Reply in Markdown.');
    expect(python).toMatch(/^You are Engineer\.\nYour goal: ship it\n\nYour reply becomes a Code message\./);
  });
});
