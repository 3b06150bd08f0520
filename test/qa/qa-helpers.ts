import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sop, tempDir, type CliResult } from '../cli/run-cli.js';
import { resultOf } from '../support/cli-envelope.js';

export { removeTempDirs, sop, STACK_LINE, tempDir, type CliResult } from '../cli/run-cli.js';

/** A small valid SOP; tests replace one line of it to make it bad in one way. */
export const BASE_SOP = `apiVersion: sop/v1
kind: SOP
metadata: {name: qa, version: 1.0.0}
messages:
  Idea: {}
  Draft: {}
start: [{type: Idea, content: "{{ inputs.idea }}"}]
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write_draft
        prompt: "Write about {{ message.content }}"
        output: {type: Draft}
stop_when: {type: Draft}
`;

/** BASE_SOP with `from` replaced by `to` (which must be found). */
export function sopWith(from: string, to: string): string {
  if (!BASE_SOP.includes(from)) throw new Error(`not in BASE_SOP: ${from}`);
  return BASE_SOP.replace(from, to);
}

/** Writes files (relative path → text or bytes) into a fresh temp folder; returns the folder. */
export function project(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('sop-qa-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
  expected?: string;
}

/** `sop validate --json FILE` in `dir`: the exit code and the file's diagnostics. */
export async function validateJson(dir: string, file = 'sop.yaml'): Promise<{ result: CliResult; diagnostics: JsonDiagnostic[] }> {
  const result = await sop(['validate', '--json', file], { cwd: dir });
  const report = resultOf(result) as { files: Array<{ diagnostics: JsonDiagnostic[] }> };
  return { result, diagnostics: report.files[0]?.diagnostics ?? [] };
}

/** Code, line and column of each error, to compare in one assertion. */
export function located(diagnostics: JsonDiagnostic[]): Array<[string, number | undefined, number | undefined]> {
  return diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => [diagnostic.code, diagnostic.line, diagnostic.column]);
}
