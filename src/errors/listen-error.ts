import { SopError } from './sop-error.js';

/**
 * A server that cannot listen, in one line of sop's words: Node's own ("listen EADDRINUSE: address
 * already in use ...") names neither the flag to change nor why. `flag` is the one that picks the
 * port (`--port`, `--metrics-port`), `who` what else may hold it (`another sop view`); `anyPort`:
 * the flag takes 0 for any free port; `hostFlag` the one that picks the host (`--host`), named when
 * the host is a name that does not resolve (Node's "getaddrinfo ENOTFOUND x").
 */
export function listenError(error: unknown, where: { host: string; port: number; flag: string; hostFlag?: string; who: string; anyPort: boolean }, otherHint: (code: string | undefined) => string): SopError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const { host, port, flag } = where;
  const any = where.anyPort ? ' (0: any free port)' : '';
  if (code === 'EADDRINUSE') return new SopError('USAGE', `port ${port} on ${host} is in use (${where.who}?)`, { hint: `pick another with ${flag}${any}`, cause: error });
  if (code === 'EACCES') return new SopError('USAGE', `port ${port} on ${host} needs privileges this user does not have (a port below 1024 does)`, { hint: `pick ${flag} 1024 or above${any}`, cause: error });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    const named = where.hostFlag === undefined ? `host ${host}` : `${where.hostFlag} ${host}`;
    const why = code === 'EAI_AGAIN' ? 'could not be looked up (the name server did not answer)' : 'does not resolve: no host of that name is known';
    return new SopError('USAGE', `cannot listen: ${named} ${why}`, { hint: otherHint(code), cause: error });
  }
  return new SopError('USAGE', `cannot listen on ${host}:${port}: ${(error as Error).message}`, { hint: otherHint(code), cause: error });
}
