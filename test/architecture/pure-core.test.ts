import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const coreDir = fileURLToPath(new URL('../../src/runtime/superstep/', import.meta.url));

/**
 * What the superstep core may load: itself, the merge-patch library and pure runtime helpers (memory
 * bounds, usage counts, the error a failed condition becomes). Type imports are free: they load nothing.
 */
const ALLOWED_VALUE_IMPORTS = new Set(['json-merge-patch', '../memory.js', '../usage.js', '../run-error.js']);

describe('the superstep core', () => {
  it('is pure: no Node.js module, no store, provider or tool, nothing but its allowed helpers', () => {
    const found: string[] = [];
    for (const name of readdirSync(coreDir).filter((file) => file.endsWith('.ts'))) {
      const text = readFileSync(path.join(coreDir, name), 'utf8');
      for (const match of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const [, typeOnly, target] = match as unknown as [string, string | undefined, string];
        if (typeOnly || target.startsWith('./') || ALLOWED_VALUE_IMPORTS.has(target)) continue;
        found.push(`${name} imports ${target}`);
      }
    }
    expect(found).toEqual([]);
  });
});
