/**
 * A tool's name on the wire (`fs.read` → `fs_read`): OpenAI and Anthropic accept
 * `[A-Za-z0-9_-]{1,64}`, SOP names may hold dots. The runtime adds a suffix when two names meet.
 */
export function wireToolName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60) || 'tool';
}
