/**
 * Why a model stopped answering, in the words of the OpenTelemetry GenAI conventions
 * (`gen_ai.response.finish_reasons`): `stop` (it was done), `length` (cut at max_tokens),
 * `tool_calls` (it asks for tools), `content_filter` (refused or filtered); any other reason a
 * provider gives is kept as it says it.
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | (string & {});

/** Provider words for the common reasons (OpenAI's are the conventions' own; Anthropic's and Ollama's differ). */
const SAME_AS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  function_call: 'tool_calls',
  refusal: 'content_filter',
};

/**
 * The normalised reason of a reply: the provider's word mapped to the conventions', `stop` when it
 * gave none. Whether the reply asks for tools decides between `stop` and `tool_calls`: Ollama says
 * `stop` with tool calls, and Anthropic says `tool_use` when its only tool use is sop's output tool
 * (the answer itself, not a call the runner makes).
 */
export function finishReasonOf(reported: unknown, asksForTools: boolean): FinishReason {
  const word = typeof reported === 'string' && reported !== '' ? reported : 'stop';
  const reason = SAME_AS[word] ?? word;
  if (reason === 'stop' && asksForTools) return 'tool_calls';
  if (reason === 'tool_calls' && !asksForTools) return 'stop';
  return reason;
}
