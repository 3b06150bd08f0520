import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { eagerConnection } from './connection.js';
import { ConnectionWatch, type ConnectionListener } from './connection-watch.js';
import type { RedisAddress } from './redis-url.js';

/** The queue's event stream: read once `ready`; `close` ends it whether it ever read or not. */
interface EventStream {
  ready: Promise<QueueEvents>;
  close(): Promise<void>;
}

const ignore = (): void => undefined;

/**
 * What a follower of queued runs holds open on Redis: the client's connection and, once following
 * begins, the queue's event stream on a connection of its own. Both are watched for lost and back
 * (`ConnectionWatch`: either drops, both ready again); the stream is closed as BullMQ allows.
 */
export class FollowConnection {
  private readonly connections = new ConnectionWatch();
  private stream: EventStream | undefined;

  /** `client`: the client's connection, watched from now on; the client ends it. */
  constructor(
    private readonly address: RedisAddress,
    private readonly queue: string,
    client: Redis,
  ) {
    this.connections.watch(client);
  }

  /** Tells `listener` when Redis is lost and when it is back; never once `close` began. */
  onChange(listener: ConnectionListener): void {
    this.connections.onChange(listener);
  }

  /** Set by `close`: a connection lost after it is the client closing (Ctrl-C), not Redis restarting. */
  get closed(): boolean {
    return this.connections.ended;
  }

  /** The queue's event stream once it reads, opened once (every run followed shares it); opened again after an opening that failed. */
  events(): Promise<QueueEvents> {
    this.stream ??= this.openStream();
    return this.stream.ready;
  }

  /** Ends the event stream, and says nothing more of Redis (the client's connection is ending too). */
  async close(): Promise<void> {
    this.connections.end();
    const stream = this.stream;
    this.stream = undefined;
    await stream?.close();
  }

  /**
   * BullMQ reads on a copy of the connection it is given, made as the worker's are
   * (`eagerConnection`: it waits for Redis rather than fail for good when Redis is away as it
   * opens); that copy is watched like the client's.
   */
  private openStream(): EventStream {
    let connection: Redis | undefined;
    let unwatch: () => void = ignore;
    const template = eagerConnection(this.address, (copy) => {
      connection = copy;
      unwatch = this.connections.watch(copy);
    }, { copiesOnly: true });
    const events = new QueueEvents(this.queue, { connection: template });
    events.on('error', ignore); // reconnects on its own; `follow` also polls the state
    let reading = false;
    const stream: EventStream = {
      ready: events.waitUntilReady().then(
        () => {
          reading = true;
          return events;
        },
        (error: unknown) => {
          // Opened again by the next step of `follow`.
          if (this.stream === stream) this.stream = undefined;
          void stream.close();
          throw error;
        },
      ),
      // Closed as BullMQ does once it reads; else its connection ends first (BullMQ's close of a stream still connecting waits for Redis).
      close: async () => {
        if (reading) await events.close().catch(ignore);
        unwatch();
        connection?.disconnect();
        if (!reading) void events.close().catch(ignore);
      },
    };
    return stream;
  }
}
