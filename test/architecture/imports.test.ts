import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Which top-level folders of src/ each folder may import: dependencies flow cli -> testing -> runtime -> leaves -> spec -> errors. */
const ALLOWED: Record<string, string[]> = {
  errors: [],
  files: ['errors'],
  config: ['errors', 'spec'],
  templates: ['errors', 'files', 'spec'],
  expressions: ['errors', 'spec', 'templates'],
  spec: ['errors', 'templates', 'expressions', 'version.ts'],
  providers: ['errors', 'files', 'spec'],
  store: ['errors', 'files', 'spec'],
  outputs: ['errors', 'spec'],
  tools: ['errors', 'files', 'spec', 'store', 'templates', 'version.ts'],
  graph: ['errors', 'spec'],
  runtime: ['errors', 'files', 'spec', 'templates', 'expressions', 'providers', 'store', 'outputs', 'tools', 'version.ts'],
  lock: ['errors', 'files', 'spec', 'providers'],
  reporting: ['errors', 'files', 'spec', 'runtime'],
  // `sop test` (and `sop eval` on top of it): between the CLI and the runtime.
  testing: ['errors', 'files', 'spec', 'expressions', 'providers', 'store', 'runtime', 'reporting'],
  eval: ['errors', 'files', 'spec', 'providers', 'store', 'outputs', 'runtime', 'reporting', 'testing'],
  // Traces, metrics and JSON logs made from run events (the runtime knows nothing of them).
  telemetry: ['errors', 'runtime', 'version.ts'],
  // Queued runs (BullMQ, Redis): beside eval, between the CLI and the runtime.
  queue: ['errors', 'files', 'spec', 'lock', 'store', 'runtime', 'providers', 'version.ts'],
  cli: ['queue', 'eval', 'telemetry', 'errors', 'files', 'spec', 'config', 'templates', 'expressions', 'providers', 'store', 'outputs', 'tools', 'graph', 'runtime', 'lock', 'reporting', 'testing', 'version.ts', 'index.ts'],
};

const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('dependency direction', () => {
  it('every import between src/ folders follows the layering in docs/design.md', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(srcRoot)) {
      const from = path.relative(srcRoot, file).split(path.sep)[0] as string;
      const allowed = ALLOWED[from];
      if (!allowed) continue; // top-level files (index.ts, version.ts) may import anything
      for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = path.relative(srcRoot, path.resolve(path.dirname(file), match[1] as string)).split(path.sep)[0] as string;
        const targetKey = target.replace(/\.js$/, '.ts');
        if (target !== from && !allowed.includes(targetKey) && !allowed.includes(target)) {
          violations.push(`${path.relative(srcRoot, file)} imports ${match[1]}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
