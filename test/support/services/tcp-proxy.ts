import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1` port the proxy listens on. */
  port: number;
  /** How many connections clients opened through it so far. */
  opened(): number;
  /** Whether `hold` stopped a client's bytes (see `startTcpProxy`). */
  holding(): boolean;
  /** Passes the bytes `hold` stopped on to the server, and all that came after them. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to `targetPort` that tells the test when a client opens a connection, before
 * passing it through: `atOpen(n)` (n from 1) is awaited first, so a test can act on the server at
 * the exact moment a client opens its nth connection (stop Redis as a follower opens its event
 * stream). `hold` stops the first chunk a client sends that it matches (with what follows) until
 * `release()`. A connection the target refuses, or closes, is closed on the client's side too.
 */
export async function startTcpProxy(targetPort: number, atOpen: (n: number) => Promise<void> | void = () => undefined, hold: (sent: Buffer) => boolean = () => false): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  // `hold`: the first chunk a client sends that it matches, and everything that client sends after
  // it, waits until `release()` (a command held on its way to Redis: a test acts in that window).
  const held = new Map<Socket, Buffer[]>();
  let holdingOne = false;
  let count = 0;
  const server = createServer((client) => {
    count += 1;
    const n = count;
    sockets.add(client);
    client.pause();
    client.on('error', () => undefined);
    client.on('close', () => sockets.delete(client));
    void Promise.resolve(atOpen(n)).then(() => {
      if (client.destroyed) return;
      const target = createConnection({ port: targetPort, host: '127.0.0.1' });
      sockets.add(target);
      target.on('error', () => client.destroy());
      target.on('close', () => {
        sockets.delete(target);
        client.destroy();
      });
      client.on('close', () => target.destroy());
      client.on('data', (chunk: Buffer) => {
        const waiting = held.get(target);
        if (waiting) return void waiting.push(chunk);
        if (!holdingOne && hold(chunk)) {
          holdingOne = true;
          return void held.set(target, [chunk]);
        }
        target.write(chunk);
      });
      target.pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    opened: () => count,
    holding: () => held.size > 0,
    release: () => {
      for (const [target, chunks] of held) if (!target.destroyed) for (const chunk of chunks) target.write(chunk);
      held.clear();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
