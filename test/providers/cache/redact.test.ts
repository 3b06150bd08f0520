import { describe, expect, it } from 'vitest';
import { SecretMask, createRedactor, redactDeep } from '../../../src/providers/redact.js';

describe('redaction', () => {
  it('masks every secret of 8+ characters, the longer first, and leaves short values alone', () => {
    const redact = createRedactor(['sk-test-SECRET-123456', 'sk-test-SECRET-123456-extended', 'short']);
    expect(redact('a sk-test-SECRET-123456 b sk-test-SECRET-123456-extended c short')).toBe('a *** b *** c short');
  });

  it('redacts strings and keys deep inside objects without changing other values', () => {
    const redact = createRedactor(['sk-test-SECRET-123456']);
    const value = { headers: { authorization: 'Bearer sk-test-SECRET-123456' }, list: ['sk-test-SECRET-123456', 3, null], ok: true };
    expect(redactDeep(value, redact)).toEqual({ headers: { authorization: 'Bearer ***' }, list: ['***', 3, null], ok: true });
    expect(value.headers.authorization).toBe('Bearer sk-test-SECRET-123456');
  });

  it('a secret mask masks what was added to it, and nothing another mask holds', () => {
    const mask = new SecretMask();
    const other = new SecretMask();
    expect(mask.empty).toBe(true);
    mask.add(['sk-test-REGISTERED-987654', undefined, 'short']);
    other.add(['sk-test-OTHER-555555555']);
    expect(mask.mask('key=sk-test-REGISTERED-987654 other=sk-test-OTHER-555555555')).toBe('key=*** other=sk-test-OTHER-555555555');
    expect(mask.maskDeep({ message: 'sk-test-REGISTERED-987654' })).toEqual({ message: '***' });
    expect(other.mask('sk-test-REGISTERED-987654')).toBe('sk-test-REGISTERED-987654');
  });

  it('a secret inside a text shown as is (a command, a folder, a variable name) stays there, and is masked everywhere else', () => {
    const mask = new SecretMask();
    mask.add(['notes-archive', 'READ_TOKEN']);
    mask.showAsIs(['no-such-server --store /srv/notes-archive/2024', 'ARCHIVE_READ_TOKEN']);
    expect(mask.mask('check that `no-such-server --store /srv/notes-archive/2024` starts; ARCHIVE_READ_TOKEN was given')).toBe(
      'check that `no-such-server --store /srv/notes-archive/2024` starts; ARCHIVE_READ_TOKEN was given',
    );
    expect(mask.mask('the server said: token notes-archive refused, READ_TOKEN unknown')).toBe('the server said: token *** refused, *** unknown');
    // A secret reaching past the text shown is masked whole.
    mask.add(['ARCHIVE_READ_TOKEN_VALUE']);
    expect(mask.mask('ARCHIVE_READ_TOKEN_VALUE')).toBe('***');
  });

  describe('text masked in pieces (an artifact appended to, round after round)', () => {
    const COMMAND = 'npx @modelcontextprotocol/server-filesystem /home/demo';
    const mask = new SecretMask();
    mask.add(['/home/demo']);
    mask.showAsIs([COMMAND]);

    /**
     * A file written piece by piece as `Workspace.append` writes it: the first piece masked whole,
     * each later one joined to the file's last `3 * (longest - 1) + 3` bytes (all ASCII here), which
     * are masked again with it.
     */
    function appended(pieces: string[], join: (kept: string, addition: string) => string): string {
      let file = mask.mask(pieces[0] ?? '');
      const hold = 3 * (mask.longest - 1) + 3;
      for (const piece of pieces.slice(1)) {
        const kept = file.slice(Math.max(0, file.length - hold));
        file = file.slice(0, file.length - kept.length) + join(kept, piece);
      }
      return file;
    }
    const joined = (kept: string, addition: string): string => mask.maskJoined(kept, addition);

    it('a shown-as-is text stays as given when pieces follow it, split it before or inside its secret', () => {
      expect(mask.longest).toBe(COMMAND.length);
      expect(appended([`started ${COMMAND}`, '\nok', '\nstill ok'], joined)).toBe(`started ${COMMAND}\nok\nstill ok`);
      expect(appended(['started npx @modelcontextprotocol/server-filesystem ', '/home/demo\nok'], joined)).toBe(`started ${COMMAND}\nok`);
      expect(appended(['started npx @modelcontextprotocol/server-filesystem /home/de', 'mo', '\nok'], joined)).toBe(`started ${COMMAND}\nok`);
      // The bytes held back start inside the command, its secret wholly in them: written as given, left so.
      const tail = 'y'.repeat(3 * (COMMAND.length - 1) + 3 - 12);
      expect(appended([`started ${COMMAND}`, tail, '\nok'], joined)).toBe(`started ${COMMAND}${tail}\nok`);
    });

    it('the secret outside it is masked whole, also split between two pieces, and next to the shown-as-is text', () => {
      expect(appended(['the key is /home/de', 'mo, keep it'], joined)).toBe('the key is ***, keep it');
      expect(appended([`${COMMAND} then `, '/home/demo', ' again'], joined)).toBe(`${COMMAND} then *** again`);
      expect(appended(['cd /home/demo', '/notes'], joined)).toBe('cd ***/notes');
    });
  });
});

