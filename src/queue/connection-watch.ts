import type { Redis } from 'ioredis';

/** What a user of Redis is told: lost (nothing moves; ioredis reconnects by itself, commands wait meanwhile) or back. */
export type ConnectionState = 'lost' | 'back';

/** `why`: with `lost`, what lost it (`connection closed`, or an error's message: mask its URL before showing it). */
export type ConnectionListener = (state: ConnectionState, why: string) => void;

/**
 * Lost and back for every connection one process holds to Redis (a worker's, a follower's): said
 * once when Redis is lost (a watched connection closes, or its user meets an error saying so: `lose`)
 * and once when it is back (every watched connection ready again), not once per retry of each
 * connection. Said neither before anyone listens (its `back` would come without a `lost`) nor once
 * `end` began (connections closing then are the process stopping, not Redis going away).
 */
export class ConnectionWatch {
  private readonly listeners: ConnectionListener[] = [];
  private readonly watched = new Set<Redis>();
  private lost = false;
  private ending = false;

  onChange(listener: ConnectionListener): void {
    this.listeners.push(listener);
  }

  /** Redis is lost and not back yet. */
  get isLost(): boolean {
    return this.lost;
  }

  /** Set by `end`. */
  get ended(): boolean {
    return this.ending;
  }

  /** Says nothing more: the connections are ending. */
  end(): void {
    this.ending = true;
  }

  /** Counts `redis` in the lost/back state from now on; returns what stops counting it (a connection ended alone). */
  watch(redis: Redis): () => void {
    const onClose = (): void => this.lose('connection closed');
    const onReady = (): void => {
      if (!this.lost || this.ending || [...this.watched].some((other) => other.status !== 'ready')) return;
      this.lost = false;
      for (const listener of this.listeners) listener('back', '');
    };
    this.watched.add(redis);
    redis.on('close', onClose);
    redis.on('ready', onReady);
    return () => {
      this.watched.delete(redis);
      redis.off('close', onClose);
      redis.off('ready', onReady);
    };
  }

  /** Redis is lost (a watched connection closed, or an error of a connection's user says so); said once per outage. */
  lose(why: string): void {
    if (this.lost || this.ending || this.listeners.length === 0) return;
    this.lost = true;
    for (const listener of this.listeners) listener('lost', why);
  }
}

/** An error that says the connection to Redis is gone (refused, reset, closed, a command cut off by the close): ioredis reconnects by itself. */
const CONNECTION_LOST = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|Connection is closed|connection lost|Stream isn't writeable|aborted due to connection close/i;

export function isConnectionLost(error: unknown): boolean {
  return error instanceof Error && CONNECTION_LOST.test(error.message);
}
