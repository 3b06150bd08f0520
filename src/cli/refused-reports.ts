import path from 'node:path';
import type { SopError } from '../errors/index.js';

export interface RefusalReports {
  /** `--junit FILE`, when given. */
  junit?: string | undefined;
  /** Masks secrets in what is written. */
  redact?: (text: string) => string;
}

/**
 * The CI reports of a `sop test` or `sop eval` refused before its cases ran, as a refused `sop run`
 * gets them: the JUnit file with one failing case saying why. Left as it is when the file cannot be
 * written: the refusal is the result that matters, and an unwritable --junit is its own error elsewhere.
 */
export async function reportRefusal(command: 'sop test' | 'sop eval', error: SopError, reports: RefusalReports): Promise<void> {
  const redact = reports.redact ?? ((text: string) => text);
  if (reports.junit !== undefined) {
    const [{ writeFileAtomicSync }, { formatRefusedJunit }] = await Promise.all([import('../files/index.js'), import('../reporting/refused-junit.js')]);
    try {
      writeFileAtomicSync(path.resolve(reports.junit), redact(formatRefusedJunit(command, error)));
    } catch {
      // Said by the refusal itself (or by the check of --junit before it).
    }
  }
}
