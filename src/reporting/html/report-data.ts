import type { ActionOutcome, FollowedPath, PromptMessage } from '../../runtime/events.js';
import { DEFAULT_SOP_COMMAND } from '../../runtime/resume-target.js';
import type { AnsweredAfter } from '../../runtime/types.js';

/**
 * What `report.html` shows, as plain data built from a run journal's records (pure: no files, no
 * clock). The page embeds it as JSON and its script draws every section from it.
 */
export interface ReportData {
  format: 'sop-html-report/v1';
  run: RunFacts | undefined;
  /** The `run-end` event; undefined while the run is in progress, or when it crashed. */
  end: RunEndFacts | undefined;
  /**
   * A run without an end (set by the caller, who can ask whether a live process holds it):
   * `running`, the report so far, or `crashed`; with the rounds its journal committed.
   */
  progress?: RunProgress | undefined;
  /** The team graph with what ran, as inline SVG; undefined when the SOP could not be resolved again. */
  graphSvg: string | undefined;
  /** Why the graph is missing, when it is. */
  graphNote: string | undefined;
  /** True when some model call recorded its rendered prompt (`--event-prompts`). */
  promptsRecorded: boolean;
  rounds: RoundView[];
  actions: ActionView[];
  calls: CallView[];
  messages: MessageView[];
  gates: GateView[];
  tools: ToolView[];
  /** MCP tools a server listed that the run did not offer (`tool-skipped`). */
  skippedTools: SkippedToolView[];
  commands: CommandView[];
  /** Each `sop resume` of the run (`run-resume`), in order. */
  resumes: ResumeView[];
  /** How the page types `sop` in the commands it tells to run (`npx sop`, `node PATH/bin/sop.js`): as the command building it was started. */
  sopCommand: string;
  /** The command that continues the run (`sop resume ID`, or its folder's path when kept elsewhere), as the page tells it. */
  resumeCommand: string;
  totals: { byRole: UsageRow[]; byAction: UsageRow[]; byModel: UsageRow[] };
  problems: ProblemView[];
}

interface RunFacts {
  id: string;
  sop: string;
  version: string;
  file: string;
  model: string;
  workspace: string;
  inputs: Record<string, unknown>;
  started: string;
}

interface RunProgress {
  status: 'running' | 'crashed';
  /** Rounds committed (the journal's last clean boundary): what the page shows is up to there. */
  rounds: number;
  /** Calls answered after those rounds, when any. */
  answeredAfter?: AnsweredAfter | undefined;
  /** False when the journal has no snapshot (killed before its start was saved): `sop resume` refuses it. */
  resumable?: false;
}

interface RunEndFacts {
  status: string;
  exitCode: number;
  /** Rounds completed. */
  rounds: number;
  /** The round the run stopped in, when it stopped partway through one. */
  stoppedInRound: number | undefined;
  durationMs: number;
  costUsd: number | undefined;
  error: { code: string; message: string; hint?: string } | undefined;
  hint: string | undefined;
  /** Where in the SOP the run ended (the stopping gate, the failed action), `file:line:column`. */
  location: string | undefined;
  /** What ended it, in words, when the run has no error of its own (the gate that stopped it, with its feedback). */
  reason: string | undefined;
}

interface RoundView {
  round: number;
  /** Milliseconds since the run started. */
  startMs: number;
  durationMs: number;
  /** Indexes into `actions`, in start order. */
  actions: number[];
}

interface ActionView {
  round: number;
  role: string;
  action: string;
  /** The trigger message's id. */
  message: string | null;
  startMs: number;
  durationMs: number;
  outcome: ActionOutcome | undefined;
  /** Indexes into `calls`, `gates`, `tools`, `skippedTools`, `commands`. */
  calls: number[];
  gates: number[];
  tools: number[];
  skippedTools: number[];
  commands: number[];
  /** Retries of its model calls (rate limits, 5xx, timeouts) and the time waited for them. */
  retries: number;
  waitedMs: number;
  /** `change`: what the write did to the file (absent for a write whose event does not say, as in older journals). */
  artifacts: Array<{ path: string; bytes: number; change?: 'new' | 'changed' | 'unchanged' }>;
  /** Messages it published. */
  published: string[];
  /** Why the role ran it: its react choice's reason or its plan step's (react and plan_and_act modes). */
  reasons: string[];
  /** Where the action is declared, `file:line:column`. */
  location: string | undefined;
}

interface CallView {
  round: number;
  role: string;
  action: string | undefined;
  index: number | undefined;
  purpose: string;
  model: string;
  attempt: number;
  startMs: number;
  durationMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number | undefined;
  cached: string | undefined;
  /** Why the model stopped: `stop`, `length` (cut at max_tokens), `tool_calls`, ...; undefined while unanswered. */
  finishReason: string | undefined;
  /** The rendered messages (recorded with `--event-prompts`), secrets masked. */
  prompt: PromptMessage[] | undefined;
  /** The model's answer as the run journal kept it. */
  answer: string | undefined;
  retries: Array<{ attempt: number; code: string; status?: number; delayMs: number }>;
  /** What made this call: a gate's failed check (its index in `gates`) or an invalid output. */
  reason: { gate: number } | { invalid: string[] } | { repaired: string[] } | undefined;
  /** The output of this call was repaired (`output-repaired`) or refused (`output-invalid`). */
  repairs: string[];
  invalid: string[];
  /** Index of the action run in `actions`. */
  actionRun: number | undefined;
  /** A call a resume answered from the journal whose first answer is already counted: shown, not counted again. */
  answeredBefore?: true;
}

interface MessageView {
  id: string;
  type: string;
  from: string;
  to: string | null;
  cause: string | null;
  round: number;
  content: string;
  payload: unknown;
  recipients: string[];
}

interface GateView {
  round: number;
  role: string;
  action: string;
  index: number | undefined;
  gate: string;
  kind: string;
  passed: boolean;
  attempt: number;
  onFail: string | undefined;
  feedback: string | undefined;
  score: number | undefined;
  /** The model call that revised the output after this failed check. */
  revision: number | undefined;
  actionRun: number | undefined;
  location: string | undefined;
}

interface ToolView {
  round: number;
  role: string;
  action: string;
  tool: string;
  arguments: string;
  ok: boolean | undefined;
  error: string | undefined;
  resultBytes: number | undefined;
  /** What the model was given back (recorded with `--event-prompts`), masked and maybe cut. */
  result: string | undefined;
  detail: Record<string, unknown> | undefined;
  durationMs: number;
  actionRun: number | undefined;
}

/** An MCP tool left out when its server was first listed, in the action that started the server: the server, the tool (`server.name`) and why. */
interface SkippedToolView {
  round: number;
  role: string;
  action: string;
  server: string;
  tool: string;
  reason: string;
  actionRun: number | undefined;
}

/** A resume: the round boundary it went on from, how the attempt before ended, and the recorded paths it did not use (`followed`). */
interface ResumeView {
  round: number;
  previousStatus: string;
  /** Milliseconds since the run started. */
  startMs: number;
  followed: FollowedPath[];
}

interface CommandView {
  round: number;
  role: string;
  action: string;
  gate: string | undefined;
  argv: string[];
  exitCode: number | undefined;
  passed: boolean | undefined;
  timedOut: boolean;
  durationMs: number;
  actionRun: number | undefined;
  /** The outcome of its action (`interrupted`, `failed`) when the command never ended. */
  stopped?: string | undefined;
}

interface UsageRow {
  key: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  durationMs: number;
}

interface ProblemView {
  round: number | undefined;
  what: string;
  text: string;
  location: string | undefined;
  actionRun: number | undefined;
}

/** What the builder is given beside the journal: the SOP's places, from the resolved SOP when it could be loaded. */
export interface ReportContext {
  graphSvg?: string | undefined;
  graphNote?: string | undefined;
  /** `role/action` and `role/action/gate` → `file:line:column` in the SOP. */
  locations?: Readonly<Record<string, string>>;
  /** `role/action/gate` → the gate's kind as the SOP writes it (`contains`; its events say `assert`). */
  gateKinds?: Readonly<Record<string, string>>;
  /** How the user started `sop` (`ReportData.sopCommand`; default `sop`). */
  sopCommand?: string | undefined;
  /** The command that continues this run, its folder named as `sop resume` finds it (default: `sop resume ID`). */
  resumeCommand?: string | undefined;
}

type Line = Record<string, unknown> & { type: string };

/** Builds the report's data from every record of a run journal (`readLines`), events and answers. */
export function buildReportData(records: readonly Line[], context: ReportContext = {}): ReportData {
  const builder = new ReportBuilder(context.locations ?? {}, context.gateKinds ?? {});
  for (const record of records) builder.add(record);
  return builder.finish(context);
}

class ReportBuilder {
  private run: RunFacts | undefined;
  private end: RunEndFacts | undefined;
  private t0: number | undefined;
  private readonly rounds = new Map<number, RoundView>();
  private readonly actions: ActionView[] = [];
  private readonly calls: CallView[] = [];
  private readonly messages: MessageView[] = [];
  private readonly byId = new Map<string, MessageView>();
  private readonly gates: GateView[] = [];
  private readonly tools: ToolView[] = [];
  private readonly skippedTools: SkippedToolView[] = [];
  private readonly resumes: ResumeView[] = [];
  private readonly commands: CommandView[] = [];
  private readonly problems: ProblemView[] = [];
  /** Human gates asked and not yet decided: what a paused run awaits. */
  private readonly awaiting = new Map<string, { gate: string; prompt: string; role: string; action: string; round: number; artifacts: string[] }>();
  /** Open action runs by `round/role/action`. */
  private readonly open = new Map<string, number>();
  /** Open model calls by `round/role/action/index`. */
  private readonly openCalls = new Map<string, number>();
  /** Open tool calls and commands by their place and id. */
  private readonly openTools = new Map<string, number>();
  private readonly openCommands = new Map<string, number>();
  /** When each command started (ms since the run started): a command cut short by its action ends with it. */
  private readonly commandStarts = new Map<number, number>();
  /** What the next model call of an action item answers: a failed gate, an invalid output. */
  private readonly pendingReason = new Map<string, CallView['reason']>();
  /** Reasons a role gave for actions it had not started yet, by `round/role/action/message`. */
  private readonly reasons = new Map<string, string[]>();
  /** Model calls that ended, by their place and attempt (`callKey`): a resume's answer from the journal repeats one. */
  private readonly endedCalls = new Set<string>();
  /** Journal answers not yet matched to a call, by round. */
  private readonly answers = new Map<number, Array<{ text: string; promptTokens: number; completionTokens: number }>>();
  private lastTimeMs = 0;
  private lastEventRound = 0;

  constructor(
    private readonly locations: Readonly<Record<string, string>>,
    private readonly gateKinds: Readonly<Record<string, string>>,
  ) {}

  add(record: Line): void {
    const time = typeof record['time'] === 'string' ? Date.parse(record['time']) : Number.NaN;
    if (!Number.isNaN(time)) {
      if (this.t0 === undefined) this.t0 = time;
      this.lastTimeMs = time - this.t0;
    }
    const at = this.lastTimeMs;
    const e = record as Line & Record<string, any>;
    if (typeof e['round'] === 'number' && e.type !== 'call-answered') this.lastEventRound = e['round'];
    switch (e.type) {
      case 'run-info':
        this.run = { id: str(e['id']), sop: str(e['sop']?.name), version: str(e['sop']?.version), file: str(e['sop']?.file), model: str(e['model']), workspace: str(e['workspace']), inputs: obj(e['inputs']), started: str(e['started']) };
        break;
      case 'run-start':
        this.run ??= { id: str(e['runId']), sop: str(e['sop']), version: str(e['version']), file: str(e['file']), model: str(e['model']), workspace: str(e['workspace']), inputs: obj(e['inputs']), started: str(e['time']) };
        break;
      case 'run-resume':
        this.resumes.push({ round: num(e['round']), previousStatus: str(e['previousStatus']), startMs: at, followed: arr(e['followed']).map((entry) => followedPath(obj(entry))) });
        break;
      case 'call-answered': {
        const list = this.answers.get(e['round']) ?? [];
        list.push({ text: str(e['text']), promptTokens: num(e['promptTokens']), completionTokens: num(e['completionTokens']) });
        this.answers.set(e['round'], list);
        break;
      }
      case 'round-start':
        this.rounds.set(e['round'], { round: e['round'], startMs: at, durationMs: 0, actions: [] });
        break;
      case 'round-end': {
        const round = this.rounds.get(e['round']);
        if (round) round.durationMs = at - round.startMs;
        break;
      }
      case 'message-published': {
        const m = obj(e['message']);
        const view: MessageView = { id: str(m['id']), type: str(m['type']), from: str(m['from']), to: (m['to'] as string | null) ?? null, cause: (m['cause'] as string | null) ?? null, round: num(m['round']), content: str(m['content']), payload: m['payload'] ?? null, recipients: [] };
        // A resumed run publishes a round again: the later message replaces the earlier one.
        const earlier = this.byId.get(view.id);
        if (earlier) Object.assign(earlier, view);
        else {
          this.messages.push(view);
          this.byId.set(view.id, view);
        }
        const sender = this.actions.findLast((action) => action.role === view.from && action.round === view.round);
        if (sender && !sender.published.includes(view.id)) sender.published.push(view.id);
        break;
      }
      case 'message-delivered': {
        const message = this.byId.get(str(e['message']));
        if (message) message.recipients = arr(e['recipients']).map(str);
        break;
      }
      case 'message-undeliverable':
        this.problem(e['round'], 'undeliverable', `message ${str(e['message'])} (${str(e['messageType'])}) is addressed to ${str(e['to'])}, who is not a role`, undefined);
        break;
      case 'action-start': {
        const index = this.actions.length;
        this.actions.push({ round: e['round'], role: e['role'], action: e['action'], message: (e['message'] as string | null) ?? null, startMs: at, durationMs: 0, outcome: undefined, calls: [], gates: [], tools: [], skippedTools: [], commands: [], retries: 0, waitedMs: 0, artifacts: [], published: [], reasons: this.takeReasons(e), location: this.locations[`${e['role']}/${e['action']}`] });
        this.open.set(actionKey(e), index);
        this.rounds.get(e['round'])?.actions.push(index);
        break;
      }
      case 'action-end': {
        const action = this.actionOf(e);
        if (!action) break;
        action.outcome = e['outcome'];
        action.durationMs = num(e['durationMs']);
        // A command that never ended (Ctrl-C) ran until its action ended, not 0 ms.
        for (const index of action.commands) {
          const command = this.commands[index];
          if (!command || command.exitCode !== undefined || command.timedOut) continue;
          command.stopped = str(action.outcome);
          command.durationMs = Math.max(0, action.startMs + action.durationMs - (this.commandStarts.get(index) ?? action.startMs));
        }
        if (action.outcome === 'failed') this.problem(e['round'], 'action failed', `${action.role} ${action.action} failed`, this.open.get(actionKey(e)));
        this.open.delete(actionKey(e));
        break;
      }
      case 'action-limit-reached':
        this.problem(e['round'], 'run limit', `${str(e['role'])} ${str(e['action'])} reached max_runs ${num(e['maxRuns'])}: the news was ignored`, undefined);
        break;
      case 'llm-call-start': {
        const run = this.open.get(actionKey(e));
        const index = this.calls.length;
        const key = itemKey(e);
        this.calls.push({
          round: e['round'], role: e['role'], action: e['action'], index: e['index'], purpose: str(e['purpose']), model: str(e['model']), attempt: num(e['attempt']),
          startMs: at, durationMs: 0, promptTokens: 0, completionTokens: 0, costUsd: undefined, cached: undefined, finishReason: undefined,
          prompt: Array.isArray(e['messages']) ? (e['messages'] as PromptMessage[]) : undefined, answer: undefined, retries: [],
          reason: e['purpose'] === 'action' ? this.pendingReason.get(key) : undefined, repairs: [], invalid: [], actionRun: run,
        });
        if (e['purpose'] === 'action') {
          const reason = this.pendingReason.get(key);
          if (reason && 'gate' in reason) {
            const gate = this.gates[reason.gate];
            if (gate) gate.revision = index;
          }
          this.pendingReason.delete(key);
        }
        this.openCalls.set(key, index);
        if (run !== undefined) this.actions[run]?.calls.push(index);
        break;
      }
      case 'llm-call-end': {
        const call = this.callOf(e);
        if (!call) break;
        call.durationMs = num(e['durationMs']);
        call.promptTokens = num(e['promptTokens']);
        call.completionTokens = num(e['completionTokens']);
        call.costUsd = typeof e['costUsd'] === 'number' ? e['costUsd'] : undefined;
        call.cached = e['cached'] ?? (e['resumed'] ? 'resumed' : undefined);
        call.finishReason = typeof e['finishReason'] === 'string' ? e['finishReason'] : 'stop';
        call.answer = this.takeAnswer(call);
        // The interrupted attempt's end of this call is in the journal (a kill can lose it: then this one counts).
        const key = callKey(e);
        if (e['resumed'] && this.endedCalls.has(key)) call.answeredBefore = true;
        this.endedCalls.add(key);
        break;
      }
      case 'llm-call-retry': {
        const call = this.callOf(e);
        call?.retries.push({ attempt: num(e['attempt']), code: str(e['code']), ...(typeof e['status'] === 'number' ? { status: e['status'] } : {}), delayMs: num(e['delayMs']) });
        const action = this.actionOf(e);
        if (action) {
          action.retries += 1;
          action.waitedMs += num(e['delayMs']);
        }
        break;
      }
      case 'output-invalid': {
        const errors = arr(e['errors']).map(str);
        const call = this.callOf(e);
        if (call) call.invalid = errors;
        this.pendingReason.set(itemKey(e), { invalid: errors });
        break;
      }
      case 'output-repaired': {
        const call = this.callOf(e);
        if (call) call.repairs = arr(e['repairs']).map(str);
        break;
      }
      case 'react-choice':
        this.addReason(e, str(e['action']), `chosen: ${str(e['reason'])}`);
        break;
      case 'plan-created':
        for (const step of arr(e['steps'])) this.addReason(e, str(obj(step)['action']), `planned: ${str(obj(step)['reason'])}`);
        break;
      case 'react-choice-invalid':
        this.problem(e['round'], 'react choice invalid', `${str(e['role'])}: ${arr(e['errors']).map(str).join('; ')}`, undefined);
        break;
      case 'gate-passed':
      case 'gate-failed': {
        const run = this.open.get(actionKey(e));
        const index = this.gates.length;
        const passed = e.type === 'gate-passed';
        const earlier = this.gates.filter((gate) => gate.actionRun === run && gate.index === e['index'] && gate.gate === e['gate']).length;
        this.gates.push({
          round: e['round'], role: e['role'], action: e['action'], index: e['index'], gate: str(e['gate']), kind: this.gateKinds[`${e['role']}/${e['action']}/${e['gate']}`] ?? str(e['kind']), passed,
          attempt: passed ? earlier + 1 : num(e['attempt']), onFail: passed ? undefined : str(e['onFail']), feedback: passed ? undefined : str(e['feedback']),
          score: typeof e['score'] === 'number' ? e['score'] : undefined, revision: undefined, actionRun: run,
          location: this.locations[`${e['role']}/${e['action']}/${e['gate']}`] ?? this.locations[`${e['role']}/${e['action']}`],
        });
        if (run !== undefined) this.actions[run]?.gates.push(index);
        if (!passed && e['onFail'] === 'revise') this.pendingReason.set(itemKey(e), { gate: index });
        if (!passed && e['onFail'] !== 'revise' && e['onFail'] !== 'warn') this.problem(e['round'], `gate ${str(e['gate'])} (${str(e['onFail'])})`, str(e['feedback']), run, this.gates[index]?.location);
        break;
      }
      case 'approval-requested':
        this.awaiting.set(`${itemKey(e)}/${str(e['gate'])}`, {
          gate: str(e['gate']), prompt: str(e['prompt']), role: str(e['role']), action: str(e['action']), round: num(e['round']),
          artifacts: Array.isArray(e['artifacts']) ? e['artifacts'].map(String) : [],
        });
        break;
      case 'approval-decided':
        this.awaiting.delete(`${itemKey(e)}/${str(e['gate'])}`);
        if (e['decision'] === 'reject') this.pendingReason.set(itemKey(e), { invalid: [`rejected by a reviewer: ${str(e['feedback'])}`] });
        break;
      case 'tool-call-start': {
        const run = this.open.get(actionKey(e));
        const index = this.tools.length;
        this.tools.push({ round: e['round'], role: e['role'], action: e['action'], tool: str(e['tool']), arguments: str(e['arguments']), ok: undefined, error: undefined, resultBytes: undefined, result: undefined, detail: undefined, durationMs: 0, actionRun: run });
        this.openTools.set(`${actionKey(e)}/${str(e['call'])}`, index);
        if (run !== undefined) this.actions[run]?.tools.push(index);
        break;
      }
      case 'tool-skipped': {
        const run = this.open.get(actionKey(e));
        const index = this.skippedTools.length;
        const skipped: SkippedToolView = { round: e['round'], role: e['role'], action: e['action'], server: str(e['server']), tool: str(e['tool']), reason: str(e['reason']), actionRun: run };
        this.skippedTools.push(skipped);
        if (run !== undefined) this.actions[run]?.skippedTools.push(index);
        this.problem(e['round'], 'tool skipped', `${skipped.tool} of MCP server ${skipped.server} was not offered: ${skipped.reason}`, run);
        break;
      }
      case 'tool-call-end': {
        const tool = this.tools[this.openTools.get(`${actionKey(e)}/${str(e['call'])}`) ?? -1];
        if (!tool) break;
        tool.ok = Boolean(e['ok']);
        tool.error = typeof e['error'] === 'string' ? e['error'] : undefined;
        tool.resultBytes = num(e['resultBytes']);
        tool.result = typeof e['result'] === 'string' ? e['result'] : undefined;
        tool.detail = e['detail'] === undefined ? undefined : obj(e['detail']);
        tool.durationMs = num(e['durationMs']);
        break;
      }
      case 'command-start': {
        const run = this.open.get(actionKey(e));
        const index = this.commands.length;
        this.commands.push({ round: e['round'], role: e['role'], action: e['action'], gate: e['gate'], argv: arr(e['argv']).map(str), exitCode: undefined, passed: undefined, timedOut: false, durationMs: 0, actionRun: run });
        this.openCommands.set(`${itemKey(e)}/${e['gate'] ?? ''}`, index);
        this.commandStarts.set(index, at);
        if (run !== undefined) this.actions[run]?.commands.push(index);
        break;
      }
      case 'command-end': {
        const command = this.commands[this.openCommands.get(`${itemKey(e)}/${e['gate'] ?? ''}`) ?? -1];
        if (!command) break;
        command.exitCode = num(e['exitCode']);
        command.passed = Boolean(e['passed']);
        command.timedOut = Boolean(e['timedOut']);
        command.durationMs = num(e['durationMs']);
        break;
      }
      case 'artifact-written':
        this.actionOf(e)?.artifacts.push({ path: str(e['path']), bytes: num(e['bytes']), ...writeChange(e['previousSha256'], e['sha256']) });
        break;
      case 'run-end': {
        const error = e['error'] ? obj(e['error']) : undefined;
        this.end = {
          status: str(e['status']), exitCode: num(e['exitCode']), rounds: num(e['rounds']), durationMs: num(e['durationMs']),
          stoppedInRound: typeof e['stoppedInRound'] === 'number' ? e['stoppedInRound'] : undefined,
          costUsd: typeof e['costUsd'] === 'number' ? e['costUsd'] : undefined,
          error: error ? { code: str(error['code']), message: str(error['message']), ...(typeof error['hint'] === 'string' ? { hint: error['hint'] } : {}) } : undefined,
          hint: typeof e['hint'] === 'string' ? e['hint'] : undefined, location: undefined, reason: undefined,
        };
        break;
      }
      default:
        break;
    }
  }

  finish(context: ReportContext): ReportData {
    if (this.end) {
      this.end.location = this.endLocation();
      const stop = this.stoppingGate();
      if (stop) this.end.reason = `gate ${stop.gate} of ${stop.role} ${stop.action} failed (attempt ${stop.attempt}) and stopped the run: ${stop.feedback ?? ''}`;
      // A paused run names each decision it awaits, as sop run's last lines and the Markdown summary do.
      if (this.end.status === 'awaiting_approval' && this.awaiting.size > 0) {
        this.end.reason = [...this.awaiting.values()].map((a) => `awaiting approval: gate ${a.gate} of ${a.role} ${a.action} (round ${a.round}): ${a.prompt}${a.artifacts.length ? `; review ${a.artifacts.join(', ')}` : ''}`).join('\n');
        const first = this.awaiting.values().next().value;
        this.end.location ??= first ? (this.locations[`${first.role}/${first.action}/${first.gate}`] ?? this.locations[`${first.role}/${first.action}`]) : undefined;
      }
      // The round it stopped in: the journal's closing record carries the rounds completed, one fewer.
      if (this.end.error) this.problem(this.end.stoppedInRound ?? this.lastEventRound, this.end.error.code, this.end.error.message, undefined, this.end.location);
    }
    return {
      format: 'sop-html-report/v1', run: this.run, end: this.end, graphSvg: context.graphSvg, graphNote: context.graphNote,
      promptsRecorded: this.calls.some((call) => call.prompt !== undefined),
      rounds: [...this.rounds.values()], actions: this.actions, calls: this.calls, messages: this.messages, gates: this.gates, tools: this.tools, skippedTools: this.skippedTools, commands: this.commands, resumes: this.resumes,
      sopCommand: context.sopCommand ?? DEFAULT_SOP_COMMAND,
      resumeCommand: context.resumeCommand ?? `${context.sopCommand ?? DEFAULT_SOP_COMMAND} resume ${this.run?.id ?? 'RUN'}`,
      totals: {
        byRole: usageRows(this.calls, (call) => call.role),
        byAction: usageRows(this.calls, (call) => (call.action === undefined ? `${call.role} (${call.purpose})` : `${call.role}/${call.action}`)),
        byModel: usageRows(this.calls, (call) => call.model),
      },
      problems: this.problems,
    };
  }

  /** The stopping gate's place, else the last failed action's, else none. */
  private endLocation(): string | undefined {
    const stop = this.stoppingGate();
    if (stop?.location) return stop.location;
    const failed = this.actions.findLast((action) => action.outcome === 'failed' || action.outcome === 'gate-stopped');
    return failed?.location;
  }

  private stoppingGate(): GateView | undefined {
    return this.end?.status === 'gate_stopped' ? this.gates.findLast((gate) => !gate.passed && gate.onFail === 'stop') : undefined;
  }

  private addReason(e: Record<string, unknown>, action: string, reason: string): void {
    const key = `${String(e['round'])}/${String(e['role'])}/${action}/${String(e['message'])}`;
    this.reasons.set(key, [...(this.reasons.get(key) ?? []), reason]);
  }

  /** The reasons given for this action run (each used once: a plan may run an action twice). */
  private takeReasons(e: Record<string, unknown>): string[] {
    const key = `${String(e['round'])}/${String(e['role'])}/${String(e['action'])}/${String(e['message'])}`;
    const list = this.reasons.get(key);
    const first = list?.shift();
    return first === undefined ? [] : [first];
  }

  private problem(round: number | undefined, what: string, text: string, actionRun: number | undefined, location?: string): void {
    this.problems.push({ round, what, text, location: location ?? (actionRun === undefined ? undefined : this.actions[actionRun]?.location), actionRun });
  }

  private actionOf(e: Record<string, unknown>): ActionView | undefined {
    const index = this.open.get(actionKey(e));
    return index === undefined ? undefined : this.actions[index];
  }

  private callOf(e: Record<string, unknown>): CallView | undefined {
    const index = this.openCalls.get(itemKey(e));
    return index === undefined ? undefined : this.calls[index];
  }

  /** The journal's answer of a call: the first of its round with the same token counts (answers are keyed by request, not by call). */
  private takeAnswer(call: CallView): string | undefined {
    const list = this.answers.get(call.round);
    const at = list?.findIndex((answer) => answer.promptTokens === call.promptTokens && answer.completionTokens === call.completionTokens) ?? -1;
    if (!list || at < 0) return undefined;
    return list.splice(at, 1)[0]?.text;
  }
}

function usageRows(calls: readonly CallView[], keyOf: (call: CallView) => string): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const call of calls) {
    if (call.answeredBefore) continue;
    const key = keyOf(call);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, durationMs: 0 }));
    row.calls += 1;
    row.promptTokens += call.promptTokens;
    row.completionTokens += call.completionTokens;
    row.costUsd += call.costUsd ?? 0;
    row.durationMs += call.durationMs;
  }
  return [...rows.values()].sort((a, b) => b.costUsd - a.costUsd || b.promptTokens + b.completionTokens - (a.promptTokens + a.completionTokens));
}

function actionKey(e: Record<string, unknown>): string {
  return `${String(e['round'])}/${String(e['role'])}/${String(e['action'])}`;
}

/** One model call of an action item: its purpose, the gate it judges, its attempt and revision. */
function callKey(e: Record<string, unknown>): string {
  return `${itemKey(e)}/${String(e['purpose'])}/${String(e['gate'] ?? '')}/${String(e['attempt'])}/${String(e['revision'] ?? '')}`;
}

/** One foreach item of an action run (a model call, a command, a gate verdict happen per item). */
function itemKey(e: Record<string, unknown>): string {
  return `${actionKey(e)}/${String(e['index'] ?? '')}`;
}

function followedPath(entry: Record<string, unknown>): FollowedPath {
  return { what: entry['what'] === 'workspace' ? 'workspace' : 'SOP', from: str(entry['from']), to: str(entry['to']), why: entry['why'] === 'given' ? 'given' : 'moved' };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** What a write did to its file, from its event: `new` (nothing was there), `changed`, `unchanged`; nothing when the event does not say. */
function writeChange(previous: unknown, sha256: unknown): { change?: 'new' | 'changed' | 'unchanged' } {
  if (previous === null) return { change: 'new' };
  if (typeof previous !== 'string') return {};
  return { change: previous === sha256 ? 'unchanged' : 'changed' };
}
