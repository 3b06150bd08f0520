import type {
  ResolvedAction,
  ResolvedGate,
  ResolvedRole,
  ResolvedSop,
  SourceOrigin,
  TemplateText,
} from '../../src/spec/resolved.js';
import type { Gate } from '../../src/spec/sop.types.generated.js';

/** Hand-built ResolvedSop objects for graph tests (the loader has its own tests). */

const origin: SourceOrigin = { file: 'test.yaml', line: 1, column: 1, pointer: '', lineOffset: 0 };
const text = (value: string): TemplateText => ({ text: value, origin });

export interface ActionSketch {
  id: string;
  output: string;
  to?: string;
  when?: string[];
  foreach?: boolean;
  batch?: boolean;
  command?: string[];
  gates?: Array<{ declared: Gate; name?: string }>;
  /** Artifact path templates. */
  artifacts?: string[];
}

export function action(roleId: string, sketch: ActionSketch): ResolvedAction {
  const gates: ResolvedGate[] = (sketch.gates ?? []).map((gate, index) => ({
    name: gate.name ?? gate.declared.name ?? `${sketch.id}#${index}`,
    kind: gate.declared.judge ? 'judge' : gate.declared.human ? 'human' : gate.declared.command ? 'command' : 'assert',
    declared: gate.declared,
    humanEnabled: undefined,
    assert: gate.declared.assert ? { source: gate.declared.assert, origin } : undefined,
    command: undefined,
    onFail: gate.declared.on_fail,
    pointer: '',
  }));
  return {
    id: sketch.id,
    roleId,
    description: '',
    whenTypes: sketch.when ?? [],
    whenIf: undefined,
    batch: sketch.batch ?? false,
    foreach: sketch.foreach ? { items: { source: 'message.payload.files', origin }, concurrency: 1 } : undefined,
    prompt: sketch.command ? undefined : text('do it'),
    run: sketch.command ? { command: sketch.command.map(text), cwd: undefined, timeoutSeconds: 60, env: {} } : undefined,
    reads: [],
    precondition: undefined,
    output: { type: sketch.output, format: 'text', language: undefined, to: sketch.to, maxAttempts: 3 },
    artifacts: (sketch.artifacts ?? []).map((path) => ({ path: text(path), content: text('{{ output }}'), foreach: undefined, if: undefined, mode: 'overwrite' as const })),
    gates,
    tools: [],
    model: undefined,
    maxRuns: undefined,
    pointer: '',
  };
}

export function role(id: string, profile: string, watch: string[], actions: ActionSketch[]): ResolvedRole {
  return {
    id,
    profile,
    goal: '',
    constraints: [],
    watch,
    react: { mode: 'by_order', maxReactLoop: 5, maxReplans: 2 },
    memory: { policy: 'window', size: 10 },
    model: undefined,
    actions: actions.map((sketch) => action(id, sketch)),
    pointer: '',
  };
}

export function sop(parts: {
  name?: string;
  start: Array<{ type: string; to?: string }>;
  roles: ResolvedRole[];
  stopWhen?: Array<{ type: string; if?: string }>;
}): ResolvedSop {
  const types = new Set<string>([
    ...parts.start.map((s) => s.type),
    ...parts.roles.flatMap((r) => [...r.watch, ...r.actions.map((a) => a.output.type)]),
  ]);
  return {
    file: '/tmp/test.yaml',
    displayPath: 'test.yaml',
    dir: '/tmp',
    sha256: '0'.repeat(64),
    referencedFiles: {},
    name: parts.name ?? 'test-sop',
    version: '1.0.0',
    description: '',
    requires: undefined,
    inputs: [{ name: 'idea', type: 'string', required: true, aliases: [] }],
    settings: {
      nRound: 10,
      investment: undefined,
      maxTokens: undefined,
      maxConcurrency: 1,
      templates: 'liquid',
      model: undefined,
      maxOutputAttempts: 3,
    },
    messages: Object.fromEntries([...types].map((name) => [name, { name, description: '', schema: undefined, declared: {} }])),
    start: parts.start.map((s) => ({ type: s.type, content: text('{{ inputs.idea }}'), payload: undefined, payloadTemplates: [], to: s.to })),
    roles: parts.roles,
    stopWhen: (parts.stopWhen ?? []).map((c) => ({ type: c.type, if: c.if ? { source: c.if, origin } : undefined })),
    document: { apiVersion: 'sop/v1', kind: 'SOP', metadata: { name: parts.name ?? 'test-sop', version: '1.0.0' }, roles: {} },
  };
}

/** Shaped like MetaGPT's software company: a PRD judge with revise, a foreach, a batch, a command, a fix loop. */
export function softwareCompanySop(): ResolvedSop {
  return sop({
    name: 'software-company',
    start: [{ type: 'UserRequirement' }],
    roles: [
      role('product_manager', 'Product Manager', ['UserRequirement'], [
        {
          id: 'write_prd',
          output: 'PRD',
          gates: [{ declared: { name: 'prd_quality', judge: { rubric: 'Every "user story" is testable' }, on_fail: { revise: 2 } } }],
        },
      ]),
      role('architect', 'Architect', ['PRD'], [{ id: 'write_design', output: 'SystemDesign' }]),
      role('project_manager', 'Project Manager', ['SystemDesign'], [{ id: 'write_tasks', output: 'TaskList' }]),
      role('engineer', 'Engineer', ['TaskList', 'TestReport', 'ReviewComments'], [
        { id: 'write_code', output: 'CodeWritten', when: ['TaskList'], foreach: true },
        { id: 'fix_code', output: 'CodeWritten', when: ['TestReport', 'ReviewComments'] },
      ]),
      role('qa_engineer', 'QA Engineer <tests>', ['CodeWritten'], [
        {
          id: 'run_tests',
          output: 'TestReport',
          batch: true,
          command: ['npm', 'test'],
          gates: [{ declared: { assert: 'payload.exit_code != 137 && output != "#"', on_fail: { route: 'ReviewComments' } } }],
        },
      ]),
    ],
    stopWhen: [{ type: 'TestReport', if: 'payload.passed == true' }],
  });
}
