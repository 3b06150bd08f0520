import { actionGates } from './gate-places.js';
import { joinPointer } from './pointer.js';
import { resolveModelRef, type ResolveContext } from './resolve-context.js';
import { LIMITS } from './limits.js';
import type { ResolvedAction, ResolvedArtifact, ResolvedCommand, ResolvedGate, ResolvedPrecondition, ResolvedRead, ResolvedSop, TemplateText } from './resolved.js';
import type { Action, Artifact, CommandSpec, Gate, ReadsEntry, Role, SOP } from './sop.types.generated.js';

/** Default content of an artifact: the action's output (same syntax in Liquid and Handlebars). */
const DEFAULT_ARTIFACT_CONTENT = '{{ output }}';
/** Default command timeout, seconds. */
const DEFAULT_COMMAND_TIMEOUT = 120;
const GATE_KINDS = ['assert', 'length', 'matches', 'contains', 'command', 'judge', 'human'] as const;
/** Default `judge.min_score`. */
const DEFAULT_MIN_SCORE = 7;

export async function resolveAction(
  action: Action,
  role: Role,
  roleId: string,
  pointer: string,
  settings: ResolvedSop['settings'],
  context: ResolveContext,
  document: SOP,
): Promise<ResolvedAction> {
  const when = action.when;
  const whenType = when?.type;
  const foreach = action.foreach;
  const artifacts: ResolvedArtifact[] = [];
  for (const [index, artifact] of (action.artifacts ?? []).entries()) {
    artifacts.push(await resolveArtifact(artifact, joinPointer(pointer, 'artifacts', index), context));
  }
  return {
    id: action.id,
    roleId,
    description: action.description ?? '',
    whenTypes: whenType === undefined ? [...role.watch] : typeof whenType === 'string' ? [whenType] : [...whenType],
    whenIf: when?.if === undefined ? undefined : context.expression(when.if, joinPointer(pointer, 'when', 'if')),
    batch: when?.batch ?? false,
    foreach:
      foreach === undefined
        ? undefined
        : typeof foreach === 'string'
          ? { items: context.expression(foreach, joinPointer(pointer, 'foreach')), concurrency: 1 }
          : { items: context.expression(foreach.items, joinPointer(pointer, 'foreach', 'items')), concurrency: foreach.concurrency ?? 1 },
    prompt: action.prompt === undefined ? undefined : await context.templateSource(action.prompt, joinPointer(pointer, 'prompt')),
    run: action.run === undefined ? undefined : resolveCommand(action.run, joinPointer(pointer, 'run'), context),
    reads: (action.reads ?? []).map((entry, index) => resolveRead(entry, joinPointer(pointer, 'reads', index), context)),
    precondition: action.precondition === undefined ? undefined : resolvePrecondition(action.precondition, joinPointer(pointer, 'precondition'), context),
    output: {
      type: action.output.type,
      format: action.output.format ?? 'text',
      language: action.output.language,
      ...recipient(action.output.to, joinPointer(pointer, 'output', 'to'), context),
      maxAttempts: action.output.max_attempts ?? settings.maxOutputAttempts,
    },
    artifacts,
    gates: actionGates(document, action, pointer).map(({ gate, pointer: gatePointer }, index) => resolveGate(gate, action.id, index, gatePointer, context)),
    tools: [...(action.tools ?? [])],
    toolOrigins: (action.tools ?? []).map((_, index) => context.origin(joinPointer(pointer, 'tools', index))),
    maxToolCalls: action.max_tool_calls ?? settings.tools.maxCalls,
    model: resolveModelRef(action.model),
    maxRuns: action.max_runs,
    pointer,
  };
}

/** `output.to`: a role id as written, or a template (`{{ message.from }}`) rendered when the output is published. */
function recipient(to: string | undefined, pointer: string, context: ResolveContext): Pick<ResolvedAction['output'], 'to' | 'toTemplate'> {
  if (to === undefined || !to.includes('{{')) return { to, toTemplate: undefined };
  return { to: undefined, toTemplate: context.template(to, pointer) };
}

export function resolveCommand(spec: CommandSpec, pointer: string, context: ResolveContext): ResolvedCommand {
  const env: ResolvedCommand['env'] = {};
  for (const [name, value] of Object.entries(spec.env ?? {})) env[name] = context.template(value, joinPointer(pointer, 'env', name));
  const { command } = spec;
  return {
    command: typeof command === 'string' ? [] : command.map((part, index) => context.template(part, joinPointer(pointer, 'command', index))),
    argv: typeof command === 'string' ? context.expression(command, joinPointer(pointer, 'command')) : undefined,
    cwd: spec.cwd,
    timeoutSeconds: spec.timeout ?? DEFAULT_COMMAND_TIMEOUT,
    env,
  };
}

function resolvePrecondition(precondition: NonNullable<Action['precondition']>, pointer: string, context: ResolveContext): ResolvedPrecondition {
  return {
    assert: precondition.assert === undefined ? undefined : context.expression(precondition.assert, joinPointer(pointer, 'assert')),
    command: precondition.command === undefined ? undefined : resolveCommand(precondition.command, joinPointer(pointer, 'command'), context),
    pointer,
  };
}

/** The template of a `reads` entry (a path or a glob); a CEL list has none. */
export function readTemplate(read: ResolvedRead): TemplateText | undefined {
  return read.kind === 'path' ? read.path : read.kind === 'glob' ? read.pattern : undefined;
}

function resolveRead(entry: ReadsEntry, pointer: string, context: ResolveContext): ResolvedRead {
  if (typeof entry === 'string') return { kind: 'path', path: context.template(entry, pointer), required: false };
  if ('path' in entry) return { kind: 'path', path: context.template(entry.path, joinPointer(pointer, 'path')), required: entry.required ?? false };
  const maxFiles = entry.max_files ?? LIMITS.readsListFiles;
  if ('each' in entry) return { kind: 'each', paths: context.expression(entry.each, joinPointer(pointer, 'each')), maxFiles };
  return { kind: 'glob', pattern: context.template(entry.glob, joinPointer(pointer, 'glob')), maxFiles };
}

async function resolveArtifact(artifact: Artifact, pointer: string, context: ResolveContext): Promise<ResolvedArtifact> {
  let content;
  if (artifact.content !== undefined) content = context.template(artifact.content, joinPointer(pointer, 'content'));
  else if (artifact.template !== undefined) content = await context.templateSource(artifact.template, joinPointer(pointer, 'template'));
  else content = { text: DEFAULT_ARTIFACT_CONTENT, origin: { ...context.origin(pointer), lineOffset: 0 } };
  return {
    path: context.template(artifact.path, joinPointer(pointer, 'path')),
    content,
    foreach: artifact.foreach === undefined ? undefined : context.expression(artifact.foreach, joinPointer(pointer, 'foreach')),
    if: artifact.if === undefined ? undefined : context.expression(artifact.if, joinPointer(pointer, 'if')),
    mode: artifact.mode ?? 'overwrite',
  };
}

/** The kinds a gate declares (validation requires exactly one). */
export function gateKinds(gate: Gate): Array<(typeof GATE_KINDS)[number]> {
  return GATE_KINDS.filter((kind) => gate[kind] !== undefined);
}

function resolveGate(gate: Gate, actionId: string, index: number, pointer: string, context: ResolveContext): ResolvedGate {
  const declaredKind = gateKinds(gate)[0] ?? 'assert';
  const shorthand = shorthandAssert(gate);
  return {
    name: gate.name ?? `${actionId}#${index}`,
    kind: declaredKind === 'command' || declaredKind === 'judge' || declaredKind === 'human' ? declaredKind : 'assert',
    declared: gate,
    if: gate.if === undefined ? undefined : context.expression(gate.if, joinPointer(pointer, 'if')),
    assert:
      gate.assert !== undefined
        ? context.expression(gate.assert, joinPointer(pointer, 'assert'))
        : shorthand
          ? context.expression(shorthand.source, joinPointer(pointer, shorthand.field))
          : undefined,
    command: gate.command === undefined ? undefined : resolveCommand(gate.command, joinPointer(pointer, 'command'), context),
    judge:
      gate.judge === undefined
        ? undefined
        : { rubric: gate.judge.rubric, minScore: gate.judge.min_score ?? DEFAULT_MIN_SCORE, model: resolveModelRef(gate.judge.model) },
    humanPrompt: gate.human?.prompt === undefined ? undefined : context.template(gate.human.prompt, joinPointer(pointer, 'human', 'prompt')),
    onFail: gate.on_fail ?? 'stop',
    humanEnabled: gate.human?.enabled === undefined ? undefined : context.expression(gate.human.enabled, joinPointer(pointer, 'human', 'enabled')),
    pointer,
  };
}

/** The CEL a `length`, `matches` or `contains` shorthand stands for (over the output text). */
function shorthandAssert(gate: Gate): { field: 'length' | 'matches' | 'contains'; source: string } | undefined {
  if (gate.length !== undefined) {
    const checks = [
      ...(gate.length.min === undefined ? [] : [`size(output) >= ${gate.length.min}`]),
      ...(gate.length.max === undefined ? [] : [`size(output) <= ${gate.length.max}`]),
    ];
    return { field: 'length', source: checks.join(' && ') || 'true' };
  }
  if (gate.matches !== undefined) return { field: 'matches', source: `output.matches(${celString(gate.matches)})` };
  if (gate.contains !== undefined) {
    const texts = typeof gate.contains === 'string' ? [gate.contains] : gate.contains;
    return { field: 'contains', source: texts.map((text) => `output.contains(${celString(text)})`).join(' && ') };
  }
  return undefined;
}

/** A CEL string literal (CEL accepts JSON's escapes). */
function celString(text: string): string {
  return JSON.stringify(text);
}
