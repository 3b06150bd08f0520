import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { eagerConnection } from './connection.js';
import { ConnectionWatch, type ConnectionListener } from './connection-watch.js';
import type { RedisAddress } from './redis-url.js';
import { compareStreamIds, STREAM_ID } from './stream-id.js';

/** The queue's event stream: reading once `ready`; `close` ends it whether it ever read or not. */
interface EventStream {
  ready: Promise<void>;
  close(): Promise<void>;
}

/** What the stream says of one job, in the order its worker reported it: a progress update (a batch of run events), then its end. */
export type JobEvent = { kind: 'progress'; data: unknown } | { kind: 'completed'; returnvalue: unknown } | { kind: 'failed' };

const ignore = (): void => undefined;

/**
 * How much a follower holds of submitted jobs nobody follows yet (a library program that submits
 * and never follows): `perJob` events of one job at most (past them its events are dropped: a
 * follower listening later takes its end from the job itself), `jobs` jobs at most (the oldest
 * expected is dropped first), and an ended job's events `afterEndMs` at most.
 */
export interface HeldLimits {
  perJob: number;
  jobs: number;
  afterEndMs: number;
}

export const HELD_LIMITS: HeldLimits = { perJob: 1000, jobs: 1000, afterEndMs: 60_000 };

/**
 * What a follower of queued runs holds open on Redis: the client's connection and, once following
 * begins, the queue's event stream on a connection of its own. Both are watched for lost and back
 * (`ConnectionWatch`: either drops, both ready again); the stream is closed as BullMQ allows.
 *
 * No event of a followed job is lost to the moment the stream opens: it reads from a mark taken
 * before the first job was added (`markNeeded`, `startAt`), or before it opens, never from `$`
 * (what comes after its first read); it is read by listeners attached before its first read, which
 * keep the events of a job expected (`expect`: added by this client) until its follower listens
 * (within `HeldLimits`: a program that submits and never follows holds no more);
 * and a follower can wait for it to have read as far as the stream stood (`readPast`) before it
 * takes a job's end from the job itself.
 */
export class FollowConnection {
  private readonly connections = new ConnectionWatch();
  private stream: EventStream | undefined;
  /** Where the stream starts reading (an entry id): from before the first job this client added. */
  private from: string | undefined;
  /** The last entry the stream read (`from` until it read one). */
  private read: string | undefined;
  private readonly listeners = new Map<string, (event: JobEvent) => void>();
  /** The events of expected jobs nobody listens to yet. */
  private readonly held = new Map<string, JobEvent[]>();
  private catchUps: Array<{ id: string; done: () => void }> = [];

  /**
   * `client`: the client's connection, watched from now on (the client ends it); the stream's
   * start is read on it. `eventsKey`: the queue's event stream (BullMQ's `events` key).
   */
  constructor(
    private readonly address: RedisAddress,
    private readonly queue: string,
    private readonly client: Redis,
    private readonly eventsKey: string,
    private readonly limits: HeldLimits = HELD_LIMITS,
  ) {
    this.connections.watch(client);
  }

  /** How many events are held for jobs nobody listens to yet (bounded by `HeldLimits`). */
  get heldEvents(): number {
    let count = 0;
    for (const events of this.held.values()) count += events.length;
    return count;
  }

  /** Tells `listener` when Redis is lost and when it is back; never once `close` began. */
  onChange(listener: ConnectionListener): void {
    this.connections.onChange(listener);
  }

  /** Set by `close`: a connection lost after it is the client closing (Ctrl-C), not Redis restarting. */
  get closed(): boolean {
    return this.connections.ended;
  }

  /** Whether the next job added needs a mark first: the stream has no start yet (`startAt`). */
  get markNeeded(): boolean {
    return this.stream === undefined && this.from === undefined;
  }

  /** Where the stream starts reading (the stream's newest entry before a job was added: `lastEntryId`); the earliest mark wins. */
  startAt(id: string): void {
    if (this.stream === undefined && (this.from === undefined || compareStreamIds(id, this.from) < 0)) this.from = id;
  }

  /** A job this client is about to add: its events are kept until its follower listens. */
  expect(jobId: string): void {
    if (this.listeners.has(jobId)) return;
    this.held.delete(jobId); // re-inserted last: the newest expected
    this.held.set(jobId, []);
    for (const oldest of this.held.keys()) {
      if (this.held.size <= this.limits.jobs) break;
      this.held.delete(oldest);
    }
  }

  /** Gives `listener` the events of `jobId` kept so far, then each as it is read; returns what stops it. */
  listen(jobId: string, listener: (event: JobEvent) => void): () => void {
    const kept = this.held.get(jobId) ?? [];
    this.held.delete(jobId);
    this.listeners.set(jobId, listener);
    for (const event of kept) listener(event);
    return () => {
      if (this.listeners.get(jobId) === listener) this.listeners.delete(jobId);
    };
  }

  /** The queue's event stream reading, opened once (every run followed shares it); opened again after an opening that failed. */
  events(): Promise<void> {
    this.stream ??= this.openStream();
    return this.stream.ready;
  }

  /** Resolves once the stream has read entry `id` or one after it. */
  readPast(id: string): Promise<void> {
    if (this.read !== undefined && compareStreamIds(this.read, id) >= 0) return Promise.resolve();
    return new Promise((done) => this.catchUps.push({ id, done }));
  }

  /** Ends the event stream, and says nothing more of Redis (the client's connection is ending too). */
  async close(): Promise<void> {
    this.connections.end();
    const stream = this.stream;
    this.stream = undefined;
    await stream?.close();
  }

  private hear(jobId: string, event: JobEvent): void {
    const listener = this.listeners.get(jobId);
    if (listener) return listener(event);
    const kept = this.held.get(jobId);
    if (!kept) return;
    if (kept.length >= this.limits.perJob) {
      this.held.delete(jobId);
      return;
    }
    kept.push(event);
    // Ended with nobody listening: held a while for a follower that comes late, then dropped.
    if (event.kind !== 'progress') {
      setTimeout(() => {
        if (this.held.get(jobId) === kept) this.held.delete(jobId);
      }, this.limits.afterEndMs).unref();
    }
  }

  /** The stream read `id` (after its listeners heard it): the waits it satisfies end. */
  private readTo(id: string): void {
    if (this.read !== undefined && compareStreamIds(id, this.read) <= 0) return;
    this.read = id;
    const waiting = this.catchUps;
    this.catchUps = waiting.filter((wait) => compareStreamIds(id, wait.id) < 0);
    for (const wait of waiting) if (compareStreamIds(id, wait.id) >= 0) wait.done();
  }

  /**
   * BullMQ reads on a copy of the connection it is given, made as the worker's are
   * (`eagerConnection`: it waits for Redis rather than fail for good when Redis is away as it
   * opens); that copy is watched like the client's. Unmarked, the stream starts at its newest
   * entry, read first on the client's connection (BullMQ's `$` would be its first read, later).
   */
  private openStream(): EventStream {
    let events: QueueEvents | undefined;
    let connection: Redis | undefined;
    let unwatch: () => void = ignore;
    let reading = false;
    let closing = false;
    const open = async (): Promise<void> => {
      this.from ??= lastEntryId(await this.client.xrevrange(this.eventsKey, '+', '-', 'COUNT', 1));
      if (closing) throw new Error('the event stream was closed as it opened');
      this.readTo(this.from);
      const template = eagerConnection(this.address, (copy) => {
        connection = copy;
        unwatch = this.connections.watch(copy);
      }, { copiesOnly: true });
      // Not run until every listener is on: its first read may return entries at once.
      const stream = new QueueEvents(this.queue, { connection: template, autorun: false, lastEventId: this.read ?? this.from });
      events = stream;
      stream.on('error', ignore); // reconnects on its own; `follow` also polls the state
      stream.on('progress', ({ jobId, data }) => this.hear(jobId, { kind: 'progress', data }));
      stream.on('completed', ({ jobId, returnvalue }) => this.hear(jobId, { kind: 'completed', returnvalue }));
      stream.on('failed', ({ jobId }) => this.hear(jobId, { kind: 'failed' }));
      // Every entry read, whatever its event: BullMQ gives its id to that event's listeners only.
      const emit = stream.emit.bind(stream) as (name: string, ...args: unknown[]) => boolean;
      stream.emit = ((name: string, ...args: unknown[]) => {
        const heard = emit(name, ...args);
        const id = name === 'drained' ? args[0] : args[1];
        if (typeof id === 'string' && STREAM_ID.test(id)) this.readTo(id);
        return heard;
      }) as typeof stream.emit;
      stream.run().catch((error: unknown) => stream.emit('error', error as Error));
      await stream.waitUntilReady();
      reading = true;
    };
    const stream: EventStream = {
      ready: open().catch((error: unknown) => {
        // Opened again by the next step of `follow`.
        if (this.stream === stream) this.stream = undefined;
        void stream.close();
        throw error;
      }),
      // Closed as BullMQ does once it reads; else its connection ends first (BullMQ's close of a stream still connecting waits for Redis).
      close: async () => {
        closing = true;
        if (reading) await events?.close().catch(ignore);
        unwatch();
        connection?.disconnect();
        if (!reading) void events?.close().catch(ignore);
      },
    };
    return stream;
  }
}

/** The id of the newest entry of an `XREVRANGE … COUNT 1` reply: reading after it reads what comes next (`0-0`, the start, for an empty stream). */
export function lastEntryId(reply: unknown): string {
  const newest = Array.isArray(reply) ? (reply[0] as unknown) : undefined;
  return Array.isArray(newest) && typeof newest[0] === 'string' ? newest[0] : '0-0';
}
