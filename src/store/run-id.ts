import { randomBytes } from 'node:crypto';

/** `YYYYMMDD-HHMMSS-<6 hex>` in UTC: sorts by start time, unique enough for one machine. */
export function createRunId(now: Date, suffix: string = randomBytes(3).toString('hex')): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const day = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${day}-${time}-${suffix}`;
}

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/;
