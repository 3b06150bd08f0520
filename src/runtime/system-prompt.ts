import type { ResolvedAction, ResolvedMessageType, ResolvedRole, ResolvedSop } from '../spec/resolved.js';

/** Who the role is: profile, goal and constraints, the start of every system prompt it gets. */
export function roleIdentity(role: ResolvedRole): string {
  const lines = [`You are ${role.profile}.`];
  if (role.goal) lines.push(`Your goal: ${role.goal}`);
  if (role.constraints.length > 0) {
    lines.push('Constraints:');
    for (const constraint of role.constraints) lines.push(`- ${constraint}`);
  }
  return lines.join('\n');
}

/**
 * The text ended as a sentence: a full stop added unless it already ends with `.`, `!` or `?` (a
 * description written as a sentence read `...the specification down..`). The user's text is kept.
 */
export function endedSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The output contract of an action, stated so any model can follow it. */
function outputContract(action: ResolvedAction, messageType: ResolvedMessageType | undefined, language: string | undefined): string {
  const lines: string[] = [];
  const description = messageType?.description ? `: ${messageType.description}` : '';
  lines.push(`Your reply becomes a ${action.output.type} message${endedSentence(description)}`);
  switch (action.output.format) {
    case 'json':
      if (messageType?.schema) {
        lines.push(`Reply with JSON only matching this schema:\n${JSON.stringify(messageType.schema, null, 2)}`);
      } else lines.push('Reply with JSON only.');
      break;
    case 'code':
      lines.push(language ? `Reply with the code only (${language}), without explanations.` : 'Reply with the code only, without explanations.');
      break;
    case 'markdown':
      lines.push('Reply in Markdown.');
      break;
    case 'text':
      break;
  }
  return lines.join('\n');
}

/**
 * Cached per action and language: the system prompt depends only on the (immutable) SOP. Keyed by
 * the action object, not by a text made of its id, which had to be built and hashed on every call.
 */
export class SystemPrompts {
  private cache = new Map<ResolvedAction, Map<string, string>>();

  forAction(role: ResolvedRole, action: ResolvedAction, messageType: ResolvedMessageType | undefined, language: string | undefined): string {
    let byLanguage = this.cache.get(action);
    if (!byLanguage) {
      byLanguage = new Map();
      this.cache.set(action, byLanguage);
    }
    let prompt = byLanguage.get(language ?? '');
    if (prompt === undefined) {
      prompt = `${roleIdentity(role)}\n\n${outputContract(action, messageType, language)}`;
      byLanguage.set(language ?? '', prompt);
    }
    return prompt;
  }
}

/** One cache per ResolvedSop, shared by all its runs (like its compiled templates). */
const promptsBySop = new WeakMap<ResolvedSop, SystemPrompts>();

/** The system prompts of an SOP, shared by all its runs. */
export function systemPromptsFor(sop: ResolvedSop): SystemPrompts {
  let prompts = promptsBySop.get(sop);
  if (!prompts) {
    prompts = new SystemPrompts();
    promptsBySop.set(sop, prompts);
  }
  return prompts;
}
