import { randomBytes } from 'node:crypto';
import { SopError } from '../errors/index.js';

/** `YYYYMMDD-HHMMSS-<6 hex>` in UTC: sorts by start time, unique enough for one machine. */
export function createRunId(now: Date, suffix: string = randomBytes(3).toString('hex')): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const day = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${day}-${time}-${suffix}`;
}

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/;

/**
 * Refuses a caller's run id (`RunOptions.runId`) that is not one plain folder name: the run folder
 * is `<runsDir>/<id>`, so `../x` or `a/b` would put the record outside the runs folder, where
 * `sop runs` and `sop resume ID` never find it.
 */
export function checkRunId(id: unknown): void {
  const name = typeof id === 'string' ? id : undefined;
  const fits = name !== undefined && name.length > 0 && name.length <= 200 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && name.trim() === name;
  if (fits) return;
  throw new SopError('USAGE', `run id ${JSON.stringify(id) ?? String(id)} is not a folder name: the run's record goes into <runs folder>/<run id>`, {
    hint: 'give a run id without "/", "\\" or surrounding spaces, other than "." and "..", or none for a new timestamped id',
  });
}
