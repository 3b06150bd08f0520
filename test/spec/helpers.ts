import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/errors/index.js';
import { validateSopFile, type ValidationResult } from '../../src/spec/index.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bad-input fixtures (`test/fixtures/bad`, each with the one thing wrong with it in its README). */
export const BAD_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'bad');

const made: string[] = [];

/** A fresh temp folder, removed by `cleanTempDirs`. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sop-spec-'));
  made.push(dir);
  return dir;
}

export function cleanTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → text) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** Writes the SOP (and extra files) to a temp folder and validates it by its absolute path. */
export async function validateText(text: string, files: Record<string, string> = {}): Promise<ValidationResult & { dir: string; path: string }> {
  const dir = tempDir();
  writeFiles(dir, { 'sop.yaml': text, ...files });
  const file = path.join(dir, 'sop.yaml');
  return { ...(await validateSopFile(file)), dir, path: file };
}

/** 1-based line and column of the `occurrence`-th `needle` in `text`. */
export function positionOf(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index === -1) throw new Error(`\`${needle}\` not found ${occurrence} times`);
  }
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

export function errors(result: { diagnostics: Diagnostic[] }): Diagnostic[] {
  return result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
}

export function warnings(result: { diagnostics: Diagnostic[] }): Diagnostic[] {
  return result.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
}

export function codes(result: { diagnostics: Diagnostic[] }): string[] {
  return result.diagnostics.map((diagnostic) => diagnostic.code);
}

/** An SOP whose one role, `writer`, has the given actions (YAML list items at 6 spaces). */
export function sopWithActions(actions: string): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: positions, version: 1.0.0 }
inputs: { idea: { type: string } }
messages:
  UserRequirement: { description: the idea }
  Doc: { description: a doc }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [UserRequirement]
    actions:
${actions}stop_when: { type: Doc }
`;
}

/** A small valid SOP; tests derive broken variants from it. */
export const VALID_SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: demo, version: 1.0.0 }
messages:
  UserRequirement: { description: the idea }
  Summary: { description: a summary }
start: [{ type: UserRequirement, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    watch: [UserRequirement]
    actions:
      - id: summarize
        prompt: "Summarize {{ message.content }}"
        output: { type: Summary }
stop_when: { type: Summary }
`;
