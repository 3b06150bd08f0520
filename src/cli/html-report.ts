import path from 'node:path';
import { SopError } from '../errors/index.js';
import { writeFileAtomicSync } from '../files/index.js';
import { buildSopGraph, gateNodeId, roleNodeId, START_NODE_ID, DONE_NODE_ID, writtenGateKind } from '../graph/model.js';
import { redactDeep, type Redactor } from '../providers/redact.js';
import { gatePlace } from '../reporting/github-annotations.js';
import { buildReportData, edgeKey, renderGraphSvg, renderReportPage, type NodeMark, type ReportContext, type ReportData } from '../reporting/html/index.js';
import { answeredAfter, roundUsd } from '../runtime/report.js';
import { resumeCommand, resumeTarget } from '../runtime/resume-target.js';
import type { AnsweredAfter } from '../runtime/types.js';
import type { ResolvedSop } from '../spec/resolved.js';
import { JOURNAL_FILE, readCommittedRound, readLines, readOldCheckpoint, readRunInfo, readSopAsRun, RunLock } from '../store/index.js';
import { hintForFolder } from './run-dir.js';
import { sopCommandOfProcess, sopCommandWord } from './invocation.js';

/** The file name of a run's HTML report, beside its journal. */
export const REPORT_HTML = 'report.html';

export interface HtmlReportOptions {
  /** The SOP as run; else the SOP text kept in the journal is resolved again (for the graph and SOP locations). */
  sop?: ResolvedSop | undefined;
  /** Masks secrets in everything the page shows. */
  redact?: Redactor | undefined;
  /** Where to write (default: `report.html` in the run folder). */
  out?: string | undefined;
  /**
   * The run has just ended in this process (its journal ends with it): no need to ask whether a
   * live process holds it (this one still does, a moment longer).
   */
  ended?: boolean | undefined;
  /**
   * fsync the page before its rename (default true). After a run it follows the run's durability
   * (only `machine` fsyncs, as its journal does): the page is rebuilt from the journal at any time
   * (`sop report`), and an fsync cost every cold run ~3-4 ms.
   */
  durable?: boolean | undefined;
}

export interface HtmlReportResult {
  runId: string;
  file: string;
  bytes: number;
  /** How the run ended; `running` (the report so far) or `crashed` for a run without an end. */
  status: string | undefined;
  /** Rounds completed: for a run without an end, the rounds its journal committed so far. */
  rounds: number;
  /** Model calls and their known cost, as far as the report goes. */
  calls: number;
  costUsd: number;
  /** A run without an end: the calls answered after its last committed round (see `AnsweredAfter`). */
  answeredAfter?: AnsweredAfter;
  /** False for a run killed before its start was saved (no snapshot): `sop resume` refuses it. */
  resumable?: boolean;
}

/**
 * Builds a run's `report.html` from its record (the journal is the source of truth; a run of an
 * older version from its events.jsonl) and writes it. A folder with no record is RUN_NOT_FOUND; a
 * damaged journal RUN_JOURNAL_DAMAGED (from the reader, with the line).
 */
export async function writeRunHtmlReport(runDir: string, options: HtmlReportOptions = {}): Promise<HtmlReportResult> {
  const page = await buildRunHtmlReport(runDir, options);
  const file = options.out ?? path.join(runDir, REPORT_HTML);
  writeFileAtomicSync(file, page.html, { durable: options.durable ?? true });
  return { runId: page.runId, file, bytes: Buffer.byteLength(page.html), status: page.status, rounds: page.rounds, calls: page.calls, costUsd: page.costUsd, ...(page.answeredAfter ? { answeredAfter: page.answeredAfter } : {}), ...(page.resumable === false ? { resumable: false } : {}) };
}

type RunEnd = NonNullable<ReportData['end']>;

/** The run's end with its hints naming the run folder (see `hintForFolder`). */
function endForFolder(end: RunEnd, recordedId: string, runDir: string): RunEnd {
  return {
    ...end,
    ...(end.hint === undefined ? {} : { hint: hintForFolder(end.hint, recordedId, runDir) }),
    ...(end.error?.hint === undefined ? {} : { error: { ...end.error, hint: hintForFolder(end.error.hint, recordedId, runDir) } }),
  };
}

/** The page of a run as it is now (also while it runs: `sop view` serves it). */
export async function buildRunHtmlReport(runDir: string, options: Omit<HtmlReportOptions, 'out' | 'durable'> = {}): Promise<{ html: string; runId: string; status: string | undefined; rounds: number; calls: number; costUsd: number; answeredAfter?: AnsweredAfter; resumable?: boolean }> {
  const lines = readLines(path.join(runDir, JOURNAL_FILE)) ?? readLines(path.join(runDir, 'events.jsonl'));
  if (!lines || lines.records.length === 0) {
    throw new SopError('RUN_NOT_FOUND', `${runDir} has no run record (no ${JOURNAL_FILE} with records, nor an older version's events.jsonl)`, {
      hint: `list runs with \`${sopCommandWord()} runs\`; a run killed before its first write recorded nothing`,
    });
  }
  const records = lines.records.map((line) => line.record);
  const sop = options.sop ?? (await pinnedSop(runDir));
  const context: ReportContext = sop ? sopContext(sop, records) : { graphNote: 'The team graph needs the SOP: the SOP text kept in the run record could not be resolved again (a file it refers to moved?).' };
  const sopCommand = sopCommandOfProcess();
  let data = buildReportData(records, { ...context, sopCommand, resumeCommand: resumeCommand(resumeTarget(runDir, process.cwd()), sopCommand) });
  // A run a live process holds (as `sop runs` tells it; a resume too: its journal may end with the
  // attempt before's end) is in progress; one whose last attempt has no end was killed. An earlier attempt's end is not the run's.
  const running = options.ended !== true && RunLock.isHeld(runDir);
  if (running || !attemptEnded(records)) {
    // A run of an older version (events.jsonl, no journal) keeps its boundaries in checkpoint.json: `sop resume` migrates and continues it.
    const oldCheckpoint = readOldCheckpoint(runDir);
    const rounds = readCommittedRound(runDir) ?? oldCheckpoint?.round ?? 0;
    const after = answeredAfter(records.filter((record) => record['type'] === 'call-answered' && typeof record['round'] === 'number' && record['round'] > rounds));
    const resumable = oldCheckpoint !== undefined || records.some((record) => record['type'] === 'snapshot');
    data = { ...data, end: undefined, progress: { status: running ? 'running' : 'crashed', rounds, ...(resumable ? {} : { resumable: false }), ...(after ? { answeredAfter: after } : {}) } };
  }
  // Named by its folder, as `sop runs` and `sop resume` name it: a copied folder's journal names the run it was copied from.
  if (data.run) data = { ...data, run: { ...data.run, id: path.basename(path.resolve(runDir)) }, ...(data.end ? { end: endForFolder(data.end, data.run.id, runDir) } : {}) };
  if (options.redact) data = redactDeep(data, options.redact);
  const calls = data.totals.byRole.reduce((sum, row) => sum + row.calls, 0);
  const cost = data.end?.costUsd ?? data.totals.byRole.reduce((sum, row) => sum + row.costUsd, 0);
  return {
    html: renderReportPage(data),
    runId: path.basename(path.resolve(runDir)),
    status: data.end?.status ?? data.progress?.status,
    rounds: data.end?.rounds ?? data.progress?.rounds ?? 0,
    calls,
    costUsd: roundUsd(cost),
    ...(data.progress?.answeredAfter ? { answeredAfter: data.progress.answeredAfter } : {}),
    ...(data.progress?.resumable === false ? { resumable: false } : {}),
  };
}

/** Whether the journal's last attempt (a run's start or a resume) has its `run-end`: read from the end, it is met first. */
function attemptEnded(records: ReadonlyArray<Record<string, unknown>>): boolean {
  for (let at = records.length - 1; at >= 0; at -= 1) {
    const type = records[at]?.['type'];
    if (type === 'run-end') return true;
    if (type === 'run-start' || type === 'run-resume') return false;
  }
  return false;
}

/**
 * The SOP the run last ran with (a resume with `--allow-changed-sop` may have changed it), resolved
 * from the journal's copy as if read from its file; undefined when it no longer resolves.
 */
async function pinnedSop(runDir: string): Promise<ResolvedSop | undefined> {
  const text = readSopAsRun(runDir)?.text;
  const file = (readRunInfo(runDir)?.['sop'] as { file?: unknown } | undefined)?.file;
  if (text === undefined || typeof file !== 'string') return undefined;
  const { validateSopText } = await import('../spec/validate.js');
  try {
    return (await validateSopText(text, file)).sop;
  } catch {
    return undefined;
  }
}

/** The team graph with what ran marked, and where each action and gate is written in the SOP. */
function sopContext(sop: ResolvedSop, records: ReadonlyArray<Record<string, unknown>>): ReportContext {
  const marks: Record<string, NodeMark> = { [START_NODE_ID]: 'ran' };
  const { gates, gateNodes, locations, gateKinds } = sopPlaces(sop);
  /** Who sent which type to whom (`from/type/to`), from the messages delivered. */
  const delivered = new Set<string>();
  const senders = new Map<string, { from: string; type: string }>();
  let completed = false;
  for (const record of records) {
    switch (record['type']) {
      case 'action-start':
        marks[roleNodeId(String(record['role']))] = 'ran';
        break;
      case 'gate-passed':
      case 'gate-failed': {
        const node = gateNodes.get(`${String(record['action'])}/${String(record['gate'])}`);
        const gate = node === undefined ? undefined : gates.get(node);
        if (!node || !gate) break;
        gate.checked = true;
        if (record['type'] === 'gate-failed') {
          marks[node] = 'failed';
          gate.revised ||= record['onFail'] === 'revise';
          gate.routed ||= record['onFail'] === 'route';
        } else if (marks[node] !== 'failed') marks[node] = 'ran';
        break;
      }
      case 'message-published': {
        const message = record['message'] as { id?: unknown; from?: unknown; type?: unknown } | undefined;
        if (typeof message?.id === 'string') senders.set(message.id, { from: String(message.from), type: String(message.type) });
        break;
      }
      case 'message-delivered': {
        const sender = senders.get(String(record['message']));
        if (!sender) break;
        for (const to of Array.isArray(record['recipients']) ? record['recipients'] : []) delivered.add(`${sender.from}/${sender.type}/${String(to)}`);
        break;
      }
      case 'run-end':
        completed = record['status'] === 'completed';
        break;
      default:
        break;
    }
  }
  if (completed) marks[DONE_NODE_ID] = 'ran';
  const graph = buildSopGraph(sop);
  const roleOfNode = new Map(sop.roles.map((role) => [roleNodeId(role.id), role.id]));
  const publishedTypes = new Map<string, Set<string>>();
  for (const { from, type } of senders.values()) publishedTypes.set(from, (publishedTypes.get(from) ?? new Set()).add(type));
  const taken = new Set<string>();
  for (const edge of graph.edges) {
    if (edgeTaken(edge)) taken.add(edgeKey(edge));
  }
  return { graphSvg: renderGraphSvg(graph, marks, taken), locations, gateKinds };

  /** The run went along an edge when a message of the edge's type went from its sender to its receiver, or its gate did what the edge says. */
  function edgeTaken(edge: { from: string; to: string; label: string; dashed: boolean }): boolean {
    const words = edge.label.split(/[\s:[\]]+/);
    const gate = gates.get(edge.from);
    const sender = edge.from === START_NODE_ID ? 'user' : (roleOfNode.get(edge.from) ?? gate?.role);
    if (sender === undefined) return false;
    if (edge.dashed) return gate !== undefined && (words.includes('revise') ? gate.revised : gate.routed && edgeCarriesDelivery(sender, words, edge.to));
    if (gates.has(edge.to)) return gates.get(edge.to)?.checked === true && (gate === undefined || gate.checked);
    if (edge.to === DONE_NODE_ID) return completed && [...(publishedTypes.get(sender) ?? [])].some((type) => words.includes(type));
    return edgeCarriesDelivery(sender, words, edge.to);
  }

  function edgeCarriesDelivery(sender: string, words: readonly string[], to: string): boolean {
    const receiver = roleOfNode.get(to);
    return receiver !== undefined && [...(publishedTypes.get(sender) ?? [])].some((type) => words.includes(type) && delivered.has(`${sender}/${type}/${receiver}`));
  }
}

/** A gate's node in the team graph: its role, and how its checks went (none yet). */
interface GateNode {
  role: string;
  checked: boolean;
  revised: boolean;
  routed: boolean;
}

/**
 * Where each action and gate is written in the SOP (`role/action`, `role/action/gate`), and each
 * gate's node (by `action/gate`). From the resolved SOP's own origins: no second read of the YAML
 * (it cost each run ~7 MB).
 */
function sopPlaces(sop: ResolvedSop): { gates: Map<string, GateNode>; gateNodes: Map<string, string>; locations: Record<string, string>; gateKinds: Record<string, string> } {
  const gates = new Map<string, GateNode>();
  const gateNodes = new Map<string, string>();
  const locations: Record<string, string> = {};
  const gateKinds: Record<string, string> = {};
  for (const role of sop.roles) {
    for (const action of role.actions) {
      const origin = action.prompt?.origin ?? action.run?.command[0]?.origin;
      const actionPlace = origin ? `${origin.file}:${origin.line}:${origin.column}` : undefined;
      if (actionPlace) locations[`${role.id}/${action.id}`] = actionPlace;
      action.gates.forEach((gate, index) => {
        const node = gateNodeId(action.id, index);
        gateNodes.set(`${action.id}/${gate.name}`, node);
        gates.set(node, { role: role.id, checked: false, revised: false, routed: false });
        // A judge or human gate has no expression or command of its own: the action it checks stands for it.
        const place = gatePlace(sop, role.id, action.id, gate.name);
        const gateLocation = place.line === undefined ? actionPlace : `${place.file}:${place.line}:${place.column}`;
        if (gateLocation) locations[`${role.id}/${action.id}/${gate.name}`] = gateLocation;
        gateKinds[`${role.id}/${action.id}/${gate.name}`] = writtenGateKind(gate);
      });
    }
  }
  return { gates, gateNodes, locations, gateKinds };
}
