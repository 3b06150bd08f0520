import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** How long a server gets to end after SIGTERM before it is killed. */
const GRACE_MS = 2_000;
const POLL_MS = 25;

/** What `endServerProcess` needs of a stdio transport (the SDK's `StdioClientTransport`). */
type StdioTransport = Transport & { readonly pid: number | null };

export interface ServerProcess {
  /** Ends the server's process if it still runs: SIGTERM, then SIGKILL after a grace period. */
  end(): Promise<void>;
}

/**
 * Keeps track of a stdio server's process from its start to its exit. Call before `client.connect`.
 * A connect that fails (the server refuses or never answers `initialize`) makes the SDK close the
 * transport without awaiting it: it forgets the process at once and escalates to SIGTERM on timers
 * that do not keep Node alive, so `sop` exited first and a server that ignores the end of its stdin
 * was left running. The process's `close` (which the SDK reports as `onclose`, also after it forgot
 * the process) says when it is gone, so no signal is sent to a pid that may have been reused.
 */
export function trackServerProcess(transport: StdioTransport): ServerProcess {
  let pid: number | undefined;
  let exited = false;
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    pid = transport.pid ?? undefined;
  };
  transport.onclose = () => {
    exited = true;
  };
  const running = (): boolean => pid !== undefined && !exited;
  return {
    async end() {
      if (!running() || !signal(pid as number, 'SIGTERM')) return;
      for (const deadline = Date.now() + GRACE_MS; running() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (running()) signal(pid as number, 'SIGKILL');
    },
  };
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
