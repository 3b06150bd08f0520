import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** Opens a file with the desktop's default program (`--open`); says why not when it cannot, instead of failing the command. */
export function openInBrowser(file: string): string | undefined {
  const url = pathToFileURL(file).href;
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return undefined;
  } catch (error) {
    return `cannot open ${url}: ${(error as Error).message}`;
  }
}
