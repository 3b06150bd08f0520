import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editInEditor } from '../../src/cli/approval-prompt.js';
import { removeTempDirs, tempDir } from './run-cli.js';

/** `[e]dit` at a human gate on the terminal: the output goes through `$EDITOR` in a throwaway folder. */
const saved = { TMPDIR: process.env['TMPDIR'], EDITOR: process.env['EDITOR'], VISUAL: process.env['VISUAL'] };

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  removeTempDirs();
});

describe('editing an output at a human gate', () => {
  it('makes the temporary folder as every command does (a TMPDIR not made yet is made), edits there and leaves nothing behind', () => {
    const tmp = path.join(tempDir('sop-approval-'), 'not-made-yet');
    process.env['TMPDIR'] = tmp;
    delete process.env['VISUAL'];
    // A real program as the editor: it rewrites the file it is given.
    process.env['EDITOR'] = 'sed -i s/draft/edited/';
    expect(editInEditor({ action: 'write_prd', format: 'markdown', output: '# draft PRD\n' })).toBe('# edited PRD\n');
    expect(existsSync(tmp)).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
