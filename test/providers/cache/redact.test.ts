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
});
