import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf } from '../support/cli-envelope.js';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

/**
 * `sop run --replay FILE` given a file that is no cassette at all (an image, random bytes, the SOP
 * itself): one sentence naming the file, what a cassette is and how to make one, not "line 1 is not
 * valid JSON" out of a binary file's chance line breaks.
 */

afterAll(removeTempDirs);

// The start of a PNG: its signature, then the IHDR chunk (NUL bytes in its length).
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00]);

async function project(): Promise<string> {
  const cwd = tempDir('sop-replay-binary-');
  const init = await sop(['init', '.'], { cwd });
  expect(init.code, init.stderr).toBe(0);
  return cwd;
}

describe('sop run --replay with a file that is not a cassette', () => {
  it.each([
    ['a PNG image', 'shot.png', PNG],
    // No NUL byte, and 0xFF is never UTF-8: binary that the NUL check alone would miss.
    ['random bytes', 'noise.bin', Buffer.concat([Buffer.from([0xff, 0x0a, 0xfe]), randomBytes(200)])],
  ])('%s: FILE_UNREADABLE (exit 2) in one sentence: the file, that it is binary, what a cassette is, how to record one', async (_what, name, bytes) => {
    const cwd = await project();
    writeFileSync(path.join(cwd, name), bytes);
    const refused = await sop(['run', 'sop.yaml', 'an idea', '--replay', name, '--json'], { cwd });
    expect(refused.code).toBe(2);
    const error = envelopeOf<any>(refused).error;
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toBe(`${path.join(cwd, name)} is not a sop cassette: it holds binary data, not text; a cassette is the JSON Lines file \`sop run SOP --record FILE\` writes`);
    expect(error.hint).toMatch(/^record one with `\S*sop(?:\.js)? run SOP --record FILE`, then give that file to --replay$/);
    expect(refused.stderr).not.toMatch(STACK_LINE);
  });

  it('a text file that is not one (the SOP itself): its first line is not the cassette header', async () => {
    const cwd = await project();
    const refused = await sop(['run', 'sop.yaml', 'an idea', '--replay', 'sop.yaml'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error FILE_UNREADABLE: ${path.join(cwd, 'sop.yaml')} is not a sop cassette: its first line is not JSON, where a cassette has its header ({"format":"sop-cassette","version":2})`);
    expect(refused.stderr).toMatch(/hint: record one with `\S*sop(?:\.js)? run SOP --record FILE`, then give that file to --replay/);
  });
});
