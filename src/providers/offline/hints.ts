/**
 * What the built-in offline model needs to answer a call in kind: it has no language model, so the
 * caller says what the answer is for (a document of some format, a choice among options, a plan,
 * a verdict). Passed as `request.providerOptions.offline`; every other provider ignores it.
 *
 * The shape is that of the former `ChatRequest.purpose`, field for field: the offline model hashes
 * it into its answer's seed, so answers (and the run journal's request keys) stay what they were.
 */
export type OfflineHints =
  | {
      kind: 'action';
      /** Who asks (a seed of the answer only). */
      role: string;
      /** What the answer is called: a text's subject, a document's fallback title. */
      action: string;
      format: 'text' | 'markdown' | 'json' | 'code';
      /** The kind of document written (`PRD`): a Markdown document's title. */
      outputType: string;
      /** `format: code`: the language (from `output.language` or the artifact's extension). */
      language: string | undefined;
      /** Paths the output will be written to, when known before the call. */
      artifactPaths: string[];
      /** 1-based; more than 1 when asking again after an invalid answer. */
      attempt: number;
    }
  | {
      /** Choose the next of `options` (`{"action": ..., "reason": ...}`): the first not yet chosen, then `done`. */
      kind: 'react-choice';
      role: string;
      options: string[];
      chosen: string[];
    }
  | {
      /** A plan running every option in order (`{"steps": [...]}`). */
      kind: 'plan';
      role: string;
      options: string[];
    }
  | {
      /** A verdict against a rubric (`{score, reasons}`): the offline model passes, saying nobody reviewed. */
      kind: 'judge';
      role: string;
      action: string;
      gate: string;
      minScore: number;
    };
