/**
 * A tool's name on the wire (`fs.read` → `fs_read`): OpenAI and Anthropic accept
 * `[A-Za-z0-9_-]{1,64}`, SOP names may hold dots. The runtime adds a suffix when two names meet.
 */
export function wireToolName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) || 'tool';
}

/**
 * A tool call's arguments as Anthropic (`tool_use.input`) and Ollama take them, an object: the text
 * the model wrote (`ToolCall.arguments`) when it is a JSON object, else `{}`.
 */
export function argumentsObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
