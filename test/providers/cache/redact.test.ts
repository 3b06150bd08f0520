import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep, redactSecrets, registerSecrets } from '../../../src/providers/redact.js';

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

  it('masks registered secrets process-wide', () => {
    registerSecrets(['sk-test-REGISTERED-987654', undefined]);
    expect(redactSecrets('key=sk-test-REGISTERED-987654')).toBe('key=***');
    expect(redactDeep({ message: 'sk-test-REGISTERED-987654' })).toEqual({ message: '***' });
  });
});
