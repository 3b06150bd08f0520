import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** How long the opener may take to say it failed; one still running then (a browser kept in the foreground) is taken to have opened it. */
const OPENER_VERDICT_MS = 3000;

/**
 * Opens a file with the desktop's default program (`--open`). Resolves to why not when it cannot (no
 * opener installed, or one that fails: a machine without a desktop), instead of failing the command.
 */
export function openInBrowser(file: string): Promise<string | undefined> {
  const url = pathToFileURL(file).href;
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const notOpened = (why: string): string => `not opened: ${why}; open ${url} in a browser`;
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { stdio: 'ignore', detached: true });
    } catch (error) {
      resolve(notOpened((error as Error).message));
      return;
    }
    const timer = setTimeout(() => resolve(undefined), OPENER_VERDICT_MS);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(notOpened(error.code === 'ENOENT' ? `${command} is not installed` : error.message));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : notOpened(`${command} exited with ${code ?? 'a signal'} (no desktop here?)`));
    });
    child.unref();
  });
}
