import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serviceProgram } from './services/programs.js';

/** Debian's `chromium`, driven by playwright-core (no browser download). */
export const chromiumProgram = serviceProgram(['chromium', 'chromium-browser'], 'chromium');

/**
 * Flags for a closed network: without the background-networking ones Chromium waits on update,
 * sync and field-trial requests that never answer.
 */
const QUIET_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface HeadlessBrowser {
  /**
   * Opens a local file (or a loopback URL); every console error, page error and request elsewhere
   * (not `file:`, not the URL's own origin) is collected in `problems`.
   */
  open(fileOrUrl: string): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile of its own (removed on close). */
export async function launchBrowser(): Promise<HeadlessBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'sop-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: chromiumProgram.path as string,
    args: QUIET_FLAGS,
    viewport: { width: 1400, height: 1000 },
    timeout: 120_000,
  });
  return {
    async open(fileOrUrl) {
      const target = /^https?:\/\//.test(fileOrUrl) ? fileOrUrl : pathToFileURL(fileOrUrl).href;
      const own = target.startsWith('file:') ? 'file:' : new URL(target).origin;
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (!request.url().startsWith(own) && !request.url().startsWith('data:')) problems.push(`network request: ${request.url()}`);
      });
      await page.goto(target, { timeout: 120_000 });
      return { page, problems };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
