import { joinPointer } from './pointer.js';
import { resolveAction } from './resolve-action.js';
import { resolveModelRef, type ResolveContext } from './resolve-context.js';
import { resolveMcpServers, resolveToolDeclarations, resolveToolSettings } from './resolve-tools.js';
import type { ResolvedCondition, ResolvedInput, ResolvedMessageType, ResolvedRole, ResolvedSop, ResolvedStartMessage, TemplateText } from './resolved.js';
import { inlineSchemaRefs } from './schema-refs.js';
import type { MessageCondition, SOP } from './sop.types.generated.js';

/** The implicit input of an SOP without an `inputs` block: the positional argument of `sop run`. */
export const IMPLICIT_INPUT: ResolvedInput = Object.freeze({
  name: 'idea',
  type: 'string',
  description: 'The idea or requirement, given as the positional argument of `sop run FILE "the idea"`.',
  required: true,
  aliases: [],
}) as ResolvedInput;

export interface SopFileFacts {
  /** Absolute path. */
  file: string;
  displayPath: string;
  dir: string;
  sha256: string;
  /** The file's text. */
  source: string;
}

/**
 * Turns a schema-valid document into the model the runtime consumes: defaults applied, shorthands
 * expanded, referenced files read, every template and expression located. Problems with referenced
 * files are reported through the context's sink; the result is still complete (empty text there).
 */
export async function resolveSop(document: SOP, facts: SopFileFacts, context: ResolveContext): Promise<ResolvedSop> {
  const settings = document.settings ?? {};
  const resolvedSettings: ResolvedSop['settings'] = {
    nRound: settings.n_round ?? 20,
    investment: settings.investment,
    maxTokens: settings.max_tokens,
    maxConcurrency: settings.max_concurrency ?? 4,
    templates: settings.templates ?? 'liquid',
    model: resolveModelRef(settings.model),
    maxOutputAttempts: settings.max_output_attempts ?? 3,
    tools: resolveToolSettings(settings.tools),
  };

  const messages: Record<string, ResolvedMessageType> = {};
  for (const [name, declared] of Object.entries(document.messages ?? {})) {
    const pointer = joinPointer('/messages', name, 'schema');
    messages[name] = {
      name,
      description: declared.description ?? '',
      schema: declared.schema === undefined ? undefined : await inlineSchemaRefs(declared.schema as Record<string, unknown>, pointer, context.reader, context.sink),
      declared,
    };
  }

  const roles: ResolvedRole[] = [];
  for (const [id, role] of Object.entries(document.roles)) {
    const pointer = joinPointer('/roles', id);
    const actions = [];
    for (const [index, action] of role.actions.entries()) {
      actions.push(await resolveAction(action, role, id, joinPointer(pointer, 'actions', index), resolvedSettings, context, document));
    }
    roles.push({
      id,
      profile: role.profile,
      goal: role.goal ?? '',
      constraints: role.constraints === undefined ? [] : typeof role.constraints === 'string' ? [role.constraints] : [...role.constraints],
      watch: [...role.watch],
      react: {
        mode: role.react?.mode ?? 'by_order',
        maxReactLoop: role.react?.max_react_loop ?? 5,
        maxReplans: role.react?.max_replans ?? 2,
      },
      memory: { policy: role.memory?.policy ?? 'window', size: role.memory?.size ?? 10 },
      model: resolveModelRef(role.model),
      actions,
      pointer,
    });
  }

  return {
    file: facts.file,
    displayPath: facts.displayPath,
    dir: facts.dir,
    sha256: facts.sha256,
    source: facts.source,
    referencedFiles: context.reader.referencedFiles,
    name: document.metadata.name,
    version: document.metadata.version,
    description: document.metadata.description ?? '',
    requires: document.metadata.requires,
    inputs: resolveInputs(document),
    vars: document.vars ?? {},
    settings: resolvedSettings,
    messages,
    start: (document.start ?? []).map((message, index) => resolveStart(message, joinPointer('/start', index), context)),
    roles,
    tools: resolveToolDeclarations(document.tools, context),
    mcpServers: resolveMcpServers(document.mcp_servers, facts.dir, context),
    stopWhen: resolveStopWhen(document.stop_when, context),
    document,
  };
}

function resolveInputs(document: SOP): ResolvedInput[] {
  if (document.inputs === undefined) return [{ ...IMPLICIT_INPUT }];
  return Object.entries(document.inputs).map(([name, input]) => ({
    ...input,
    name,
    type: input.type ?? 'string',
    required: input.default === undefined,
    aliases: [...(input.aliases ?? [])],
  }));
}

function resolveStart(message: NonNullable<SOP['start']>[number], pointer: string, context: ResolveContext): ResolvedStartMessage {
  const payloadTemplates: ResolvedStartMessage['payloadTemplates'] = [];
  const collect = (value: unknown, path: Array<string | number>): void => {
    if (typeof value === 'string') {
      const template: TemplateText = context.template(value, joinPointer(pointer, 'payload', ...path));
      payloadTemplates.push({ path, template });
    } else if (Array.isArray(value)) value.forEach((item, index) => collect(item, [...path, index]));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) collect(item, [...path, key]);
  };
  collect(message.payload, []);
  return {
    type: message.type,
    content: message.content === undefined ? undefined : context.template(message.content, joinPointer(pointer, 'content')),
    payload: message.payload,
    payloadTemplates,
    to: message.to,
    if: message.if === undefined ? undefined : context.expression(message.if, joinPointer(pointer, 'if')),
  };
}

function resolveStopWhen(stopWhen: SOP['stop_when'], context: ResolveContext): ResolvedCondition[] {
  if (stopWhen === undefined) return [];
  const conditions: Array<[MessageCondition, string]> = Array.isArray(stopWhen)
    ? stopWhen.map((condition, index) => [condition, joinPointer('/stop_when', index)])
    : [[stopWhen, '/stop_when']];
  return conditions.map(([condition, pointer]) => ({
    type: condition.type,
    if: condition.if === undefined ? undefined : context.expression(condition.if, joinPointer(pointer, 'if')),
  }));
}
