import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-cli.js';

/**
 * examples/library/typed.ts type-checks as a user's strict TypeScript program does: importing
 * 'sop-runner' (the built dist/index.d.ts) with "module": "nodenext". A type the program needs that
 * the package does not export (ChatModelCapabilities, ToolCall, Approver, ...) fails it.
 */
describe('the library types', () => {
  it('let a strict nodenext program implement a model, decide gates, narrow events and choose models without casts', { timeout: 120_000 }, async () => {
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', path.join('examples', 'library', 'typed.ts')];
    const result = await promisify(execFile)(process.execPath, args, { cwd: repoRoot }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }),
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });
});
