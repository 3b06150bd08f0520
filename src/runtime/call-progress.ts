/** How far a streamed reply has come (`RunOptions.onDelta`). */
export interface CallProgress {
  round: number;
  role: string;
  action?: string;
  index?: number;
  /** Characters of reply text received so far. */
  chars: number;
}
