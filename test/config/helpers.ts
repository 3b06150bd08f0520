import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { isSopError, type SopError } from '../../src/errors/index.js';
import { loadConfig, type ConfigFlags, type ResolvedConfig } from '../../src/config/index.js';

const made: string[] = [];

/** A fresh temp folder, removed by `cleanTempDirs`. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sop-config-'));
  made.push(dir);
  return dir;
}

export function cleanTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → text) under `dir`; returns `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** loadConfig in `cwd` with an empty user folder unless given, and only the given environment. */
export function load(cwd: string, options: { env?: Record<string, string>; flags?: ConfigFlags; userConfigDir?: string } = {}): Promise<ResolvedConfig> {
  return loadConfig({ cwd, env: options.env ?? {}, flags: options.flags ?? {}, userConfigDir: options.userConfigDir ?? path.join(cwd, '.no-user-config') });
}

/** The SopError a promise or function fails with (fails the test when it does not). */
export async function errorOf(action: Promise<unknown> | (() => unknown)): Promise<SopError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    if (isSopError(error)) return error;
    throw error;
  }
  expect.fail('expected a SopError');
}

/** `key → source` of every value. */
export function sources(config: ResolvedConfig): Record<string, string> {
  return Object.fromEntries(config.explain().map((entry) => [entry.key, entry.source]));
}

export function values(config: ResolvedConfig): Record<string, string> {
  return Object.fromEntries(config.explain().map((entry) => [entry.key, entry.value]));
}
