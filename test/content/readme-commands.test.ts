import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('the README for a fresh clone', () => {
  it('keeps exactly two commands on its first screen', () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock.trim().split('\n')).toEqual(['npm ci && npx sop run sops/software-company.yaml "a command-line todo app"', 'npm test']);
  });

  it('says, before its first bare `sop` command, how to run `sop` where it is not on the PATH', () => {
    const firstBareSop = readme.search(/(^|\n)(OPENAI_API_KEY=\S+ )?sop (run|test|prompts) /);
    const explained = readme.indexOf('In a fresh clone `sop` is not on your PATH: every `sop ...` below is run as `npx sop ...`');
    expect(explained).toBeGreaterThan(0);
    expect(firstBareSop).toBeGreaterThan(explained);
    expect(readme).toContain('put it on your PATH once with `npm link`');
  });
});

describe('the README on `sop init` in a clone', () => {
  // A clone has no node_modules/.bin/sop (npm links it only in a project that installs sop-runner).
  it('names `./node_modules/.bin/sop` only for a project that installed sop-runner, and what a clone types', () => {
    const mentions = [...readme.matchAll(/\.\/node_modules\/\.bin\/sop\b/g)].map((match) => readme.slice(Math.max(0, match.index - 120), match.index));
    expect(mentions.length).toBeGreaterThan(0);
    for (const before of mentions) expect(before).toMatch(/in a project that installed `sop-runner`[^|]*$/);
    expect(readme).toContain('in a clone of this repository: after `npx sop init` or `node bin/sop.js init`');
  });
});
