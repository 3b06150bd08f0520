import { readFileSync, readdirSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { FencedWrite, RedisRunLock } from './run-lock.js';
import type { JournalReplica } from '../store/index.js';
import type { QueueKeys } from './keys.js';
import { safeRelative } from './paths.js';

/** A workspace file larger than this is not put in Redis: it goes to the outputs folder, and Redis holds where. */
export const ARTIFACT_MAX_BYTES = 1024 * 1024;

/** A workspace file as Redis holds it. */
export type StoredFile = { content: string } | { file: string; bytes: number; sha256: string };

/** One file of a finished run's workspace, in the job's result. */
export interface ResultFile {
  path: string;
  bytes: number;
  sha256: string;
  /** Absolute path in the outputs folder when the file was larger than `ARTIFACT_MAX_BYTES`; absent: in Redis. */
  file?: string;
}

/**
 * What a queued run keeps in Redis while it runs, so another worker can take it over: the journal's
 * bytes (`replica`, appended in file order) and the workspace's files (`saveFile`). Both go over one
 * connection, whose commands Redis runs in the order sent: a file written in a round is stored
 * before the round's boundary, and an answer before anything uses it.
 */
export class QueuedRunState {
  readonly replica: JournalReplica;
  /** The files Redis holds for the run, as this worker stored or restored them: the result's list without reading them back. */
  private readonly known = new Map<string, ResultFile>();
  private restored = false;
  private readonly inFlight = new Set<Promise<void>>();

  /** `storedBefore`: Redis held files of the run when this worker took it (an earlier attempt's). */
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    readonly runId: string,
    private readonly outputsDir: string | undefined,
    private readonly lock: RedisRunLock,
    private readonly storedBefore = true,
  ) {
    this.replica = { append: (data) => this.lock.fenced('append', this.keys.journal(runId), data).then(() => undefined) };
  }

  /** The journal so far (empty when the run has none: it never reached its first write). */
  async journal(): Promise<Buffer> {
    return (await this.redis.getBuffer(this.keys.journal(this.runId))) ?? Buffer.alloc(0);
  }

  /** The journal's length: a saved result stands for the run only while nothing was appended after it. */
  async journalBytes(): Promise<number> {
    return this.redis.strlen(this.keys.journal(this.runId));
  }

  /** Forgets a journal that cannot be resumed from (no boundary in it: nothing was answered). */
  async dropJournal(): Promise<void> {
    await this.lock.fenced('del', this.keys.journal(this.runId));
  }

  /** Stores one workspace file (relative path); sent now, in order with the journal's writes. */
  saveFile(workspace: string, relative: string): Promise<void> {
    let content: Buffer;
    try {
      content = readFileSync(path.join(workspace, relative));
    } catch {
      return Promise.resolve(); // removed since: nothing to keep
    }
    const stored = this.stored(relative, content);
    const saved = this.lock.fenced('hset', this.keys.artifacts(this.runId), relative, JSON.stringify(stored)).then(() => {
      this.known.set(relative, resultFile(relative, stored, content));
    });
    this.inFlight.add(saved);
    void saved.finally(() => this.inFlight.delete(saved)).catch(() => undefined);
    return saved;
  }

  /**
   * The writes that store every file of the workspace (the run's end: files tools wrote too), for
   * `RedisRunLock.finish`, after `settled` (a write of the run that ends later would list older content).
   */
  workspaceWrites(workspace: string): FencedWrite[] {
    const writes: FencedWrite[] = [];
    for (const relative of filesUnder(workspace)) {
      let content: Buffer;
      try {
        content = readFileSync(path.join(workspace, relative));
      } catch {
        continue; // removed since: nothing to keep
      }
      const stored = this.stored(relative, content);
      writes.push(['hset', this.keys.artifacts(this.runId), relative, JSON.stringify(stored)]);
      this.known.set(relative, resultFile(relative, stored, content));
    }
    return writes;
  }

  /** Waits for the file writes sent during the run (answered by now: the journal's later writes were). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }

  /** Writes the stored files into a workspace (a run taken over from a worker that died). */
  async restoreWorkspace(workspace: string): Promise<number> {
    const stored = await this.redis.hgetall(this.keys.artifacts(this.runId));
    let restored = 0;
    this.restored = true;
    for (const [relative, value] of Object.entries(stored)) {
      const entry = JSON.parse(value) as StoredFile;
      this.known.set(relative, resultFile(relative, entry));
      const content = contentOf(entry);
      if (content === undefined || !safeRelative(relative)) continue;
      const file = path.join(workspace, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      restored += 1;
    }
    return restored;
  }

  /**
   * The stored files, for the job's result: as this worker stored and restored them (it is the
   * run's one writer), read from Redis only when an earlier attempt stored files it did not restore.
   */
  async files(): Promise<ResultFile[]> {
    const stored = this.storedBefore && !this.restored
      ? Object.entries(await this.redis.hgetall(this.keys.artifacts(this.runId))).map(([relative, value]) => resultFile(relative, JSON.parse(value) as StoredFile))
      : [...this.known.values()];
    return stored.sort((a, b) => a.path.localeCompare(b.path));
  }

  private stored(relative: string, content: Buffer): StoredFile {
    if (content.length <= ARTIFACT_MAX_BYTES || !this.outputsDir) return { content: content.toString('base64') };
    const file = path.join(this.outputsDir, this.runId, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return { file, bytes: content.length, sha256: sha256(content) };
  }
}

/** A stored file's content (from Redis, or from the outputs folder when this machine sees it). */
export function contentOf(stored: StoredFile): Buffer | undefined {
  if ('content' in stored) return Buffer.from(stored.content, 'base64');
  try {
    return readFileSync(stored.file);
  } catch {
    return undefined;
  }
}

/** A stored file as the result lists it (`content`: its bytes when at hand, else decoded). */
function resultFile(relative: string, file: StoredFile, content?: Buffer): ResultFile {
  if ('file' in file) return { path: relative, bytes: file.bytes, sha256: file.sha256, file: file.file };
  const bytes = content ?? Buffer.from(file.content, 'base64');
  return { path: relative, bytes: bytes.length, sha256: sha256(bytes) };
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Relative paths of the files under a folder (none when it does not exist). */
function filesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(folder, name);
      const stats = statSync(full, { throwIfNoEntry: false });
      if (stats?.isDirectory()) walk(full, `${prefix}${name}/`);
      else if (stats?.isFile()) found.push(`${prefix}${name}`);
    }
  };
  walk(root, '');
  return found;
}
