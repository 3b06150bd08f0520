import { spawn } from 'node:child_process';
import { SopError } from '../errors/index.js';

/** Bytes of stdout and stderr kept (the tail: where test failures and stack traces end up). */
export const OUTPUT_TAIL_BYTES = 8 * 1024;

/** Variables passed through from the runner's environment; everything else is scrubbed. */
const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'TMPDIR'] as const;

export interface CommandRequest {
  argv: string[];
  /** Absolute working folder (already checked to be inside the workspace). */
  cwd: string;
  /** The SOP's extra variables, rendered. */
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** Bytes kept of each stream (the tail); default OUTPUT_TAIL_BYTES. */
  tailBytes?: number;
  /** Bytes kept of the start of each stream too (a tool's output keeps head and tail); default 0. */
  headBytes?: number;
  /** Told the command's process group once started (see `NoteCommand`). */
  noteCommand?: NoteCommand;
}

/**
 * Notes a started command's process group (its leader's pid) and argv, so that a run killed with
 * `kill -9` (which never reaches the group) can have it stopped by `sop resume`; the function it
 * returns is called when the command ended. Every command a run starts goes through it: steps,
 * gates and preconditions, and the commands of tools.
 */
export type NoteCommand = (pid: number, argv: readonly string[]) => () => void;

export interface CommandResult {
  exitCode: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Both ends of each stream and its full size, when `headBytes` was asked for (to cap exactly). */
  ends?: { stdout: StreamEnds; stderr: StreamEnds };
}

/** A stream known by its ends: `head` + `tail` is the whole stream when nothing was dropped between. */
export interface StreamEnds {
  head: Buffer;
  tail: Buffer;
  totalBytes: number;
}

/**
 * Runs argv without a shell, in its own process group (so a timeout kills the children too),
 * with a scrubbed environment. A non-zero exit is a result; a program that cannot start is a
 * `COMMAND_FAILED` error.
 */
export function runCommand(request: CommandRequest): Promise<CommandResult> {
  const [program, ...args] = request.argv;
  if (program === undefined || program === '') {
    return Promise.reject(new SopError('COMMAND_FAILED', 'the command is empty', { hint: 'run.command needs a program name first' }));
  }
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, request.env);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: request.cwd, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = new StreamBuffer(request.headBytes ?? 0, request.tailBytes ?? OUTPUT_TAIL_BYTES);
    const stderr = new StreamBuffer(request.headBytes ?? 0, request.tailBytes ?? OUTPUT_TAIL_BYTES);
    let timedOut = false;
    let settled = false;
    const ended = child.pid === undefined ? undefined : request.noteCommand?.(child.pid, request.argv);
    const kill = (): void => {
      if (child.pid === undefined) return;
      try {
        if (process.platform === 'win32') child.kill('SIGKILL');
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    const onAbort = (): void => kill();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      settled = true;
      ended?.();
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    };
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      finish();
      const notFound = error.code === 'ENOENT';
      reject(
        new SopError('COMMAND_FAILED', `cannot run "${program}": ${notFound ? 'command not found' : error.message}`, {
          hint: notFound
            ? `is "${program}" installed and on PATH? Commands run without a shell, so shell built-ins and pipes are not available`
            : 'check the command and its permissions',
          cause: error,
        }),
      );
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      finish();
      let exitCode = code ?? (signal ? 128 + signalNumber(signal) : 1);
      let stderrText = stderr.text();
      if (timedOut) {
        exitCode = 124;
        stderrText += `${stderrText === '' || stderrText.endsWith('\n') ? '' : '\n'}[sop] killed after the ${request.timeoutMs / 1000} s timeout\n`;
      }
      const durationMs = Math.round(performance.now() - started);
      const ends = request.headBytes ? { ends: { stdout: stdout.ends(), stderr: stderr.ends() } } : {};
      resolve({ exitCode, timedOut, stdout: stdout.text(), stderr: stderrText, durationMs, ...ends });
    });
  });
}

/**
 * Keeps the first `headLimit` and the last `tailLimit` bytes of a stream (memory stays bounded
 * whatever a program prints); what was dropped between them is noted.
 */
class StreamBuffer {
  private head: Buffer[] = [];
  private headSize = 0;
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;
  private total = 0;

  constructor(
    private readonly headLimit: number,
    private readonly limit: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headSize < this.headLimit) {
      const taken = chunk.subarray(0, this.headLimit - this.headSize);
      this.head.push(taken);
      this.headSize += taken.length;
      chunk = chunk.subarray(taken.length);
      if (chunk.length === 0) return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      const first = this.chunks.shift()?.length ?? 0;
      this.size -= first;
      this.dropped += first;
    }
  }

  ends(): StreamEnds {
    const all = Buffer.concat(this.chunks);
    return { head: Buffer.concat(this.head), tail: all.subarray(Math.max(0, all.length - this.limit)), totalBytes: this.total };
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const cut = all.length > this.limit ? all.length - this.limit : 0;
    const dropped = this.dropped + cut;
    // A cut through a multi-byte character decodes as U+FFFD at its edges; drop those.
    const tail = all.subarray(cut).toString('utf8');
    if (this.headSize === 0) return tail.replace(/^\uFFFD+/, '');
    const head = Buffer.concat(this.head).toString('utf8');
    if (dropped === 0) return Buffer.concat([...this.head, all]).toString('utf8');
    return `${head.replace(/\uFFFD+$/, '')}\n[... ${dropped} bytes cut ...]\n${tail.replace(/^\uFFFD+/, '')}`;
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}
