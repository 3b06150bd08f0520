import { TOOL_DESCRIPTION } from '../../../src/providers/anthropic/request.js';
import { parsedArguments, type WireRequest } from './offline-answer.js';

/** How the fake Anthropic server reads a Messages API body: the request a script sees, and the output tool. */

/**
 * The output tool (structured output): the forced tool, or, beside user tools under `tool_choice:
 * any`, the tool the provider describes as the reply tool.
 */
export function outputToolName(body: any): string | undefined {
  const tools: any[] = Array.isArray(body.tools) ? body.tools : [];
  if (body.tool_choice?.type === 'tool' && tools.some((tool) => tool?.name === body.tool_choice.name && tool?.description === TOOL_DESCRIPTION)) {
    return String(body.tool_choice.name);
  }
  if (body.tool_choice?.type === 'tool' && tools.length === 1) return String(body.tool_choice.name);
  return tools.find((tool) => tool?.description === TOOL_DESCRIPTION)?.name;
}

export function wireRequest(body: any): WireRequest {
  const output = outputToolName(body);
  const tools: any[] = Array.isArray(body.tools) ? body.tools : [];
  const userTools = tools.filter((tool) => tool?.name !== output);
  const messages: any[] = body.messages;
  const blocksOf = (role: string, type: string) =>
    messages.filter((message) => message.role === role && Array.isArray(message.content)).flatMap((message) => (message.content as any[]).filter((block) => block?.type === type));
  const toolCalls = blocksOf('assistant', 'tool_use').map((block) => ({ id: String(block.id), name: String(block.name), arguments: parsedArguments(block.input) }));
  return {
    model: String(body.model),
    system: textOf(body.system),
    // A user turn of tool results only is no prompt: left out, so the last user message stays the prompt.
    messages: messages
      .filter((message) => !(Array.isArray(message.content) && message.content.length > 0 && message.content.every((block: any) => block?.type === 'tool_result')))
      .map((message) => ({ role: message.role === 'assistant' ? 'assistant' : 'user', content: textOf(message.content) })),
    schema: output ? tools.find((tool) => tool?.name === output)?.input_schema : undefined,
    stream: body.stream === true,
    tools: userTools.map((tool) => ({ name: String(tool.name), description: String(tool.description ?? ''), parameters: tool.input_schema ?? {} })),
    toolChoice: toolChoiceOf(body.tool_choice, output),
    toolCalls,
    toolResults: blocksOf('user', 'tool_result').map((block) => ({
      id: String(block.tool_use_id),
      name: toolCalls.find((call) => call.id === block.tool_use_id)?.name,
      content: textOf(block.content),
      isError: block.is_error === true,
    })),
  };
}

/** Whether the user's tools may be called: a forced output tool or `none` rule them out. */
function toolChoiceOf(choice: any, output: string | undefined): WireRequest['toolChoice'] {
  if (choice?.type === 'none') return 'none';
  if (choice?.type === 'tool') return choice.name === output ? 'none' : 'required';
  if (choice?.type === 'any') return output ? 'auto' : 'required';
  return 'auto';
}

/** `content` / `system` may be a string or blocks (text blocks count). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block) => (block?.type !== 'tool_result' && typeof block?.text === 'string' ? block.text : '')).join('');
}
