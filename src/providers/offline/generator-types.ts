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
  /** What the reply may still hold (see `REPLY_BUDGET`): spent as items, properties and text are made. */
  budget: ReplyBudget;
  generate(schema: Schema | undefined, at: Position): unknown;
}

/**
 * How much one offline reply may hold: array items and object properties beyond the first ones
 * (`values`), and characters a text is padded to for its `minLength` (`chars`). A schema asking for
 * `minItems: 100000000` or `minLength: 1000000000` made the offline model build gigabytes (and die);
 * past the budget the reply falls short of the schema, which then says what it asked for.
 */
export interface ReplyBudget {
  values: number;
  chars: number;
}

export const REPLY_BUDGET: Readonly<ReplyBudget> = { values: 10_000, chars: 1_000_000 };
