import type { OfflineContext } from './request-context.js';

/** What a template knows about the file it writes. */
export interface SourceFile {
  /** Relative path as given, or a default `main.<ext>` name. */
  path: string;
  /** File name without folders, reduced to characters safe in comments and literals. */
  name: string;
  /** File name without folders and extension, in snake_case (never empty). */
  stem: string;
  /** The request's main sentence, safe in literals and comments. */
  task: string;
  /** Short subject, safe in literals and comments. */
  topic: string;
  notice: string;
  /** The whole request context, for templates that reuse the prompt (Markdown). */
  context: OfflineContext;
}

export type Template = (file: SourceFile) => string;
