import type { Language } from './languages.js';
import type { OfflineContext } from './request-context.js';
import type { Schema } from './schema-check.js';

/** Where the generator is, passed down the tree. */
export interface Position {
  name: string;
  description: string;
  depth: number;
  pointer: string;
  ordinal: number | undefined;
  /** Set for the direct item schema of an array: enum items vary by index. */
  itemIndex: number | undefined;
  /** Index into `sequence` for the current array item (kept through nested objects). */
  sequenceIndex: number | undefined;
  language: Language | undefined;
  /** `$ref`s being expanded above this point: re-entering one means a recursive schema. */
  refs: readonly string[];
  /** Inside a recursion: only required properties and minItems items, so the value stays small. */
  shallow: boolean;
}

export interface Generator {
  root: Schema;
  context: OfflineContext;
  prefer: readonly unknown[];
  sequence: readonly unknown[] | undefined;
  /** Objects get only their required properties (a tool's arguments). */
  requiredOnly: boolean;
  generate(schema: Schema | undefined, at: Position): unknown;
}
