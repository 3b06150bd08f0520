import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * `sop view` that cannot listen says what to change: a --host that is not this machine's was told to
 * choose another --port, which could never help.
 */
describe('sop view that cannot listen', () => {
  it('a --host this machine does not have: exit 2, the hint names --host', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    const result = await sop(['view', '--host', '192.0.2.1', '--port', '0'], { cwd: tempDir('sop-view-host-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error USAGE: cannot listen on 192\.0\.2\.1:0: .*EADDRNOTAVAIL/m);
    expect(result.stderr).toContain('hint: choose a --host of this machine (127.0.0.1, the default; 0.0.0.0: every interface)');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
