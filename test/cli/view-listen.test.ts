import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, removeTempDirs, sop, STACK_LINE, tempDir } from './run-cli.js';

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

  it('a --host name that does not resolve: one line naming --host and the name, not getaddrinfo ENOTFOUND', async () => {
    // `.invalid` never resolves (RFC 6761); without a name server the lookup fails as EAI_AGAIN instead.
    const result = await sop(['view', '--host', 'no-such-host.invalid', '--port', '0'], { cwd: tempDir('sop-view-host-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error USAGE: cannot listen: --host no-such-host\.invalid (?:does not resolve: no host of that name is known|could not be looked up \(the name server did not answer\))$/m);
    expect(result.stderr).toContain('hint: choose a --host of this machine (127.0.0.1, the default; 0.0.0.0: every interface)');
    expect(result.stderr).not.toMatch(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a port in use: one line of sop, naming the port and the flag, not Node\'s EADDRINUSE', async (context) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    context.onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as { port: number }).port;
    const result = await sop(['view', '--port', String(port)], { cwd: tempDir('sop-view-port-') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error USAGE: port ${port} on 127.0.0.1 is in use (another sop view?)\n  hint: pick another with --port (0: any free port)`);
    expect(result.stderr).not.toContain('EADDRINUSE');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  // Port 80 needs the privilege only where ip_unprivileged_port_start is above it (the default 1024; some container runtimes set 0).
  const unprivilegedFrom = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  it.skipIf(!(unprivilegedFrom > 80))(`a port below 1024 without the privilege to bind it: the hint says 1024 or above${unprivilegedFrom > 80 ? '' : ` (skipped: this host lets every user bind ports from ${unprivilegedFrom})`}`, async () => {
    // Root as a user is: without CAP_NET_BIND_SERVICE.
    const drop = ['--bounding-set', '-net_bind_service', '--inh-caps', '-net_bind_service'];
    const result = await sop(['view', '--port', '80'], { cwd: tempDir('sop-view-port-'), launch: ['setpriv', ...drop, '--', process.execPath, binPath] });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error USAGE: port 80 on 127.0.0.1 needs privileges this user does not have (a port below 1024 does)\n  hint: pick --port 1024 or above (0: any free port)');
    expect(result.stderr).not.toContain('EACCES');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});
