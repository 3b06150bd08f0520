import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot, sop, tempDir, type CliResult } from '../cli/run-cli.js';
import { readRunEvents, readRunInfo } from '../../src/store/index.js';

/** The only key the fake servers accept; it must appear in nothing `sop` prints or writes. */
export const TEST_KEY = 'sk-test-SECRET-123456';

export const SOFTWARE_COMPANY = path.join(repoRoot, 'sops', 'software-company.yaml');
export const IDEA = 'a todo app';

/** Variables of the developer's shell that would change what a run does. */
const CLEARED = [
  'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'OLLAMA_HOST',
  'SOP_MODEL', 'SOP_PROVIDER', 'SOP_CACHE_DIR', 'SOP_NO_CACHE',
];

/**
 * The one-writer SOP the provider fault tests run: an idea in, a markdown note out (one model call).
 * `settings` goes before `messages:` as written (a `settings:` block); `artifact` saves the note.
 */
export function noteSop(options: { settings?: string; artifact?: boolean } = {}): string {
  return `apiVersion: sop/v1
kind: SOP
metadata: { name: note, version: 0.1.0 }
${options.settings ?? ''}messages:
  Idea: {}
  Note: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
stop_when: { type: Note }
roles:
  writer:
    profile: Writer
    watch: [Idea]
    actions:
      - id: write
        prompt: "Write a note about {{ message.content }}"
        output: { type: Note, format: markdown }
${options.artifact ? '        artifacts: [{ path: note.md }]\n' : ''}`;
}

/** Provider settings for runs that retry: a 10 ms first backoff instead of 0.5 s keeps fault tests fast. */
export const FAST_RETRIES = 'min_delay: 0.01';

/** A fresh project folder with its own HOME (no user config) and, when given, a `sop.config.yaml`. */
export function project(config?: string): string {
  const dir = tempDir('sop-providers-');
  if (config !== undefined) writeFileSync(path.join(dir, 'sop.config.yaml'), config);
  return dir;
}

/** Runs the real `bin/sop.js` in `cwd` with a clean provider environment plus `env`. */
export function run(cwd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const clean: Record<string, string | undefined> = Object.fromEntries(CLEARED.map((name) => [name, undefined]));
  return sop(args, { cwd, env: { ...clean, HOME: cwd, XDG_CONFIG_HOME: path.join(cwd, '.xdg'), CI: 'true', ...env } });
}

export interface RunRecord {
  dir: string;
  report: any;
  runInfo: any;
  events: any[];
}

/** The run records under `<cwd>/.sop/runs`, oldest first. */
export function runRecords(cwd: string): RunRecord[] {
  const runsDir = path.join(cwd, '.sop', 'runs');
  if (!existsSync(runsDir)) return [];
  // Oldest first, by start time in milliseconds (run ids only order runs by the second).
  return readdirSync(runsDir)
    .map((id) => {
      const dir = path.join(runsDir, id);
      const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
      return {
        dir,
        report: JSON.parse(read('report.json')),
        runInfo: readRunInfo(dir) as any,
        events: readRunEvents(dir) as any[],
      };
    })
    .sort((a, b) => String(a.runInfo.started).localeCompare(String(b.runInfo.started)));
}

/** The only run record under `<cwd>/.sop/runs`. */
export function lastRun(cwd: string): RunRecord {
  const records = runRecords(cwd);
  expect(records.length).toBeGreaterThan(0);
  return records[records.length - 1] as RunRecord;
}

/** Every file under a folder, by relative path, with its content. */
export function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** Generated project files (no Python caches): what must be byte-identical between runs. */
export function artifacts(workspace: string): Record<string, string> {
  return Object.fromEntries(Object.entries(filesUnder(workspace)).filter(([file]) => !file.includes('__pycache__')));
}

/**
 * The secret appears nowhere: not in the outputs given, not in any file under `dir` (run records,
 * events, reports, cassettes, the cache, the workspace). Returns how many files were searched.
 */
export function expectNoSecret(secret: string, dir: string, outputs: CliResult[]): number {
  for (const output of outputs) {
    expect(output.stdout).not.toContain(secret);
    expect(output.stderr).not.toContain(secret);
  }
  const files = filesUnder(dir);
  const leaking = Object.entries(files).filter(([, text]) => text.includes(secret)).map(([file]) => file);
  expect(leaking).toEqual([]);
  return Object.keys(files).length;
}

/** The workspace the software-company SOP writes to in `cwd`. */
export function workspaceOf(cwd: string): string {
  return path.join(cwd, 'workspace', 'software-company');
}
