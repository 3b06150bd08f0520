import path from 'node:path';

/** A relative path that stays inside its root: no absolute path, no `..`, `.` or empty part, no NUL or backslash. */
export function safeRelative(name: string): boolean {
  if (name === '' || name.length > 1024 || name.includes('\0') || name.includes('\\')) return false;
  if (path.posix.isAbsolute(name)) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
