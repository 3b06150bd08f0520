// The library's types in a strict TypeScript program ("module": "nodenext"), type-checked by the
// tests (test/content/library-types.test.ts): every type a program of yours needs to implement a
// model, decide human gates, read events and choose models is exported, with no casts.
import {
  createRuntime,
  loadConfig,
  loadModelRegistry,
  loadResolvedSop,
  readRunEvents,
  runSop,
  type ActionOutcome,
  type ApprovalDecision,
  type ApprovalRequest,
  type Approver,
  type ChatModel,
  type ChatModelCapabilities,
  type ChatRequest,
  type ChatResponse,
  type ConfigFlags,
  type GateKind,
  type PendingApproval,
  type ResolvedModelRef,
  type RunEvent,
  type ToolCall,
  type ToolSpec,
} from 'sop-runner';

// A model of your own that may ask for tools: its capabilities and tool calls are typed.
class LookupModel implements ChatModel {
  readonly provider = 'lookup';
  readonly capabilities: ChatModelCapabilities = { nativeJsonSchema: false, tools: true, streaming: false };
  async complete(request: ChatRequest): Promise<ChatResponse> {
    const tools: ToolSpec[] = request.tools ?? [];
    const answered = request.messages.some((message) => message.role === 'tool');
    const first = tools[0];
    const toolCalls: ToolCall[] = first && !answered ? [{ id: 'call_1', name: first.name, arguments: '{}' }] : [];
    return { text: answered ? '# done' : '', toolCalls, usage: { promptTokens: 1, completionTokens: 1, estimated: true }, model: 'lookup-1' };
  }
}

// Human gates decided by your program.
const approve: Approver = async (request: ApprovalRequest) => {
  const decision: ApprovalDecision = request.output.length > 0 ? { kind: 'approve' } : { kind: 'reject', feedback: 'empty' };
  return decision;
};

// Events narrowed by `type`: each case sees its own fields.
const outcomes = new Map<ActionOutcome, number>();
const gates: GateKind[] = [];
function onEvent(event: RunEvent): void {
  switch (event.type) {
    case 'action-end':
      outcomes.set(event.outcome, (outcomes.get(event.outcome) ?? 0) + 1);
      break;
    case 'gate-failed':
      gates.push(event.kind);
      break;
    case 'run-end':
      if (event.error) console.log(event.error.code, event.error.hint ?? '');
      break;
    default:
      break;
  }
}

const { sop } = await loadResolvedSop('note.yaml');
const own = await runSop(sop, { inputs: { topic: 'tide pools' }, model: new LookupModel(), approve, onEvent });
const waiting: PendingApproval[] = own.report.awaiting ?? [];
console.log(own.status, waiting.length, [...outcomes], gates);

// The same events read back from the run's journal, narrowed the same way.
const replayed = new Map<ActionOutcome, number>();
for (const event of readRunEvents(own.runDir)) {
  if (event.type === 'action-end') replayed.set(event.outcome, (replayed.get(event.outcome) ?? 0) + 1);
}
console.log([...replayed]);

// The configured providers: `flags.model` is the default model (an SOP's own `model` wins); the
// second argument of `resolve` answers every call, as `sop run --model` does.
const flags: ConfigFlags = { model: 'ollama:llama3.2' };
const config = await loadConfig({ cwd: process.cwd(), env: process.env, flags });
const runtime = createRuntime();
const registry = await loadModelRegistry(config, { runtime });
const resolveModel = (ref: ResolvedModelRef | undefined) => registry.resolve(ref, 'openai:gpt-4o-mini');
await runSop(sop, { inputs: { topic: 'tide pools' }, runtime, resolveModel });
