import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueClient, readRedisUrl } from '../../src/queue/index.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { redisProgram, startRedis, type RedisServer } from '../support/services/redis-server.js';

/**
 * A followed run's first reads, on a real redis-server through a loopback proxy that notes, for each
 * command a client sends, how many replies that connection had received by then: the run's latest
 * job (`HGET`) and the state of the job this client added for it go out together, one round trip,
 * not the second after the first's reply. With `followed: false` (`sop run --detach`) the
 * submission does not read where the event stream stands (the mark a follower starts from).
 */
const SOP = `apiVersion: sop/v1
kind: SOP
metadata: { name: reads, version: 1.0.0 }
messages:
  Idea: {}
  Done: {}
start: [{ type: Idea, content: "{{ inputs.idea }}" }]
roles:
  lead:
    profile: Lead
    watch: [Idea]
    actions: [{ id: finish, prompt: "Finish {{ message.content }}", output: { type: Done } }]
stop_when: { type: Done }
`;

/** What a client sent through the proxy: each chunk, and the replies its connection had received before it. */
interface Sent {
  text: string;
  repliesBefore: number;
}

let redis: RedisServer;
let proxy: Server;
let dir: string;
const sent: Sent[] = [];
const sockets = new Set<Socket>();

describe.skipIf(redisProgram.missing)(`a followed run's reads${redisProgram.skipNote}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(path.join(os.tmpdir(), 'sop-follow-reads-'));
    writeFileSync(path.join(dir, 'reads.yaml'), SOP);
    proxy = createServer((client) => {
      let replies = 0;
      const server = createConnection({ port: redis.port, host: '127.0.0.1' });
      for (const socket of [client, server]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      client.on('data', (chunk: Buffer) => {
        sent.push({ text: chunk.toString('latin1'), repliesBefore: replies });
        server.write(chunk);
      });
      server.on('data', (chunk: Buffer) => {
        replies += 1;
        client.write(chunk);
      });
      client.on('close', () => server.destroy());
      server.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => proxy?.close(resolve));
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => QueueClient.open(readRedisUrl(`redis://127.0.0.1:${(proxy.address() as AddressInfo).port}`), 'reads');

  it("reads the run's latest job and the state of the job it added in one round trip", async () => {
    const client = await open();
    const { sop } = await loadResolvedSop(path.join(dir, 'reads.yaml'));
    const runId = await client.submit(sop, { inputs: { idea: 'one read' }, models: {} });
    const from = sent.length;
    // No worker: the job waits, and the follower waits for its events once it read where the run stands.
    const following = client.follow(runId, () => undefined).catch(() => undefined);
    const at = async (pattern: RegExp): Promise<Sent> => {
      for (let tries = 0; tries < 200; tries += 1) {
        const found = sent.slice(from).find((chunk) => pattern.test(chunk.text));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`not sent: ${pattern}`);
    };
    const job = await at(new RegExp(`hget\\r\\n\\$\\d+\\r\\nsop:reads:run:${runId}\\r\\n`, 'i'));
    const state = await at(/bull:reads:completed\r\n[\s\S]*bull:reads:failed/);
    expect(state.repliesBefore).toBe(job.repliesBefore);
    await client.close();
    await following;
  });

  it('a submission nothing follows (--detach) does not read where the event stream stands', async () => {
    const client = await open();
    const { sop } = await loadResolvedSop(path.join(dir, 'reads.yaml'));
    const from = sent.length;
    await client.submit(sop, { inputs: { idea: 'detached' }, models: {} }, {}, { followed: false });
    expect(sent.slice(from).filter((chunk) => /xrevrange/i.test(chunk.text))).toEqual([]);
    expect(sent.slice(from).some((chunk) => /bull:reads:wait/.test(chunk.text))).toBe(true);
    await client.close();
  });
});
