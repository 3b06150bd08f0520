import { escalationOf } from '../spec/gate-places.js';
import { addresseesOf } from '../spec/recipients.js';
import type { ResolvedAction, ResolvedGate, ResolvedRole, ResolvedSop } from '../spec/resolved.js';
import { BUILTIN_TOOLS } from '../spec/rules/tool-references.js';
import { textStart } from '../spec/text-encoding.js';

/**
 * A renderer-neutral picture of an SOP's message flow: who sends which message type to whom, where
 * the run ends, and which gates sit on an action's output (with their failure routes, so fix loops
 * are visible). Each role's box also says which tools its model can call and which files its
 * actions write. Mermaid and DOT both draw this same graph.
 */

type GraphNodeKind = 'start' | 'role' | 'gate' | 'done';

export interface GraphNode {
  /** Identifier safe for Mermaid and DOT: letters, digits and underscores. */
  id: string;
  kind: GraphNodeKind;
  /** Label lines, unescaped; renderers join and escape them. */
  lines: string[];
}

interface GraphEdge {
  from: string;
  to: string;
  /** Unescaped label text. */
  label: string;
  /** Dashed: a gate's failure path (revise or route), not a normal publish. */
  dashed: boolean;
}

export interface SopGraph {
  name: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const START_NODE_ID = 'user';
export const DONE_NODE_ID = 'done';

/** `role_<id>`, with anything outside `[A-Za-z0-9_]` replaced, so no role id can clash with `user`/`done`. */
export function roleNodeId(roleId: string): string {
  return `role_${sanitizeId(roleId)}`;
}

export function gateNodeId(actionId: string, index: number): string {
  return `gate_${sanitizeId(actionId)}_${index + 1}`;
}

function sanitizeId(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Builds the flow graph of a resolved SOP. Pure: the same SOP always gives the same graph. */
export function buildSopGraph(sop: ResolvedSop): SopGraph {
  const nodes: GraphNode[] = [{ id: START_NODE_ID, kind: 'start', lines: ['user'] }];
  const edges: GraphEdge[] = [];
  const seenEdges = new Set<string>();
  const addEdge = (edge: GraphEdge): void => {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.label}\u0000${edge.dashed}`;
    if (seenEdges.has(key)) return;
    seenEdges.add(key);
    edges.push(edge);
  };

  for (const role of sop.roles) {
    nodes.push({ id: roleNodeId(role.id), kind: 'role', lines: [role.profile, role.id, ...toolLines(sop, role), ...artifactLines(role)] });
  }

  // Start messages come from the user (a conditional one says when).
  for (const start of sop.start) {
    const label = start.if ? `${start.type} if ${condition(start.if.source)}` : start.type;
    for (const receiver of receiversOf(sop, start.type, start.to === undefined ? undefined : [start.to], undefined)) {
      addEdge({ from: START_NODE_ID, to: roleNodeId(receiver), label, dashed: false });
    }
    if (stopsRun(sop, start.type)) addEdge({ from: START_NODE_ID, to: DONE_NODE_ID, label: stopLabel(sop, start.type), dashed: false });
  }

  for (const role of sop.roles) {
    for (const action of role.actions) {
      const markers = actionMarkers(action);
      const type = action.output.type;
      // Name the action when another action of the role emits the same type (e.g. write_code, fix_code).
      const shared = role.actions.filter((other) => other.output.type === type).length > 1;
      const typeLabel = withMarkers(shared ? `${action.id}: ${type}` : type, markers);
      // With gates, the output passes each gate in turn before it is published.
      let emitter = roleNodeId(role.id);
      action.gates.forEach((gate, index) => {
        const gateId = gateNodeId(action.id, index);
        nodes.push({ id: gateId, kind: 'gate', lines: gateLines(gate) });
        const firstLabel = shared ? typeLabel : `${action.id}: ${typeLabel}`;
        addEdge({ from: emitter, to: gateId, label: index === 0 ? firstLabel : 'pass', dashed: false });
        for (const edge of failureEdges(sop, role.id, gateId, gate)) addEdge(edge);
        emitter = gateId;
      });
      // A dynamic `to` says whom it picks: `Task to {{ payload.assignee }}`.
      const addressed = action.output.toTemplate ? ` to ${action.output.toTemplate.text.trim()}` : '';
      const label = `${action.gates.length > 0 ? type : typeLabel}${addressed}`;
      for (const receiver of receiversOf(sop, type, addresseesOf(sop, action), role.id)) {
        addEdge({ from: emitter, to: roleNodeId(receiver), label, dashed: false });
      }
      if (stopsRun(sop, type)) addEdge({ from: emitter, to: DONE_NODE_ID, label: stopLabel(sop, type), dashed: false });
    }
  }

  if (sop.stopWhen.length > 0) nodes.push({ id: DONE_NODE_ID, kind: 'done', lines: ['done'] });
  return { name: sop.name, nodes, edges };
}

/**
 * The tools the role's actions offer its model, one line per source so the reader sees where each
 * comes from: `built-in tools: fs.read, shell`, `declared tools: word_count` (the SOP's `tools`),
 * `MCP notes: search_notes, get_note` (`notes.*` stands for the server's `allowed_tools`).
 */
function toolLines(sop: ResolvedSop, role: ResolvedRole): string[] {
  const builtin: string[] = [];
  const declared: string[] = [];
  const byServer = new Map<string, string[]>();
  const add = (list: string[], name: string): void => {
    if (!list.includes(name)) list.push(name);
  };
  for (const name of role.actions.flatMap((action) => action.tools)) {
    if ((BUILTIN_TOOLS as readonly string[]).includes(name)) add(builtin, name);
    else if (sop.tools[name]) add(declared, name);
    else {
      const dot = name.indexOf('.');
      const server = dot > 0 ? sop.mcpServers[name.slice(0, dot)] : undefined;
      if (!server) {
        // Validation refuses an unknown name; a hand-built SOP still shows it as written.
        add(declared, name);
        continue;
      }
      const tools = byServer.get(server.name) ?? [];
      byServer.set(server.name, tools);
      const tool = name.slice(dot + 1);
      if (tool !== '*') add(tools, tool);
      else if (server.allowedTools) for (const allowed of server.allowedTools) add(tools, allowed);
      else add(tools, 'all tools');
    }
  }
  const lines: string[] = [];
  if (builtin.length > 0) lines.push(`built-in tools: ${builtin.join(', ')}`);
  if (declared.length > 0) lines.push(`declared tools: ${declared.join(', ')}`);
  for (const [server, tools] of byServer) lines.push(`MCP ${server}: ${tools.join(', ')}`);
  return lines;
}

/** The files each action writes, by path template: `write_prd writes docs/prd.md`. */
function artifactLines(role: ResolvedRole): string[] {
  return role.actions
    .filter((action) => action.artifacts.length > 0)
    .map((action) => {
      const paths = action.artifacts.map((artifact) => `${shownPath(artifact.path.text)}${artifact.mode === 'append' ? ' (append)' : ''}`);
      return `${action.id} writes ${[...new Set(paths)].join(', ')}`;
    });
}

/**
 * A path template as a label: a path chosen by one `if`/`case` (`{% case lang %}{% when "go" %}x_test.go…`)
 * shows its choices, `a | b`, which say more than the cut-off start of the tags; anything else is shown
 * as written, cut when long.
 */
function shownPath(template: string): string {
  const text = template.replace(/\s+/g, ' ').trim();
  const choices = branchChoices(text);
  return choices ? choices.join(' | ') : shorten(text, 40);
}

/** Liquid `{% tag ... %}` and Handlebars `{{#tag ...}}`, `{{else ...}}`, `{{/tag}}`, `{{ output }}`. */
const TAG = /\{%-?\s*(\w+)[^%]*?-?%\}|\{\{~?\s*([#/]?)\s*([\w.]+)[^}]*\}\}/g;
const OPENS = new Set(['if', 'unless', 'case']);
const BRANCHES = new Set(['elsif', 'else', 'when']);

/**
 * The literal choices of a template that is one `if`/`unless`/`case` from start to end, each branch a
 * plain text (`{% if x %}a{% else %}b{% endif %}` → a, b); undefined for anything else (text outside
 * the branch, nested tags, `{{ output }}`).
 */
function branchChoices(text: string): string[] | undefined {
  const pieces: string[] = [];
  let at = 0;
  let depth = 0;
  let closed = false;
  for (const match of text.matchAll(TAG)) {
    const literal = text.slice(at, match.index).trim();
    at = match.index + match[0].length;
    if (closed) return undefined;
    if (depth === 0 && (match.index !== 0 || literal !== '')) return undefined;
    const name = match[1] ?? match[3] ?? '';
    const liquid = match[1] !== undefined;
    const opens = liquid ? OPENS.has(name) : match[2] === '#' && OPENS.has(name);
    const ends = liquid ? name === `end${name.slice(3)}` && OPENS.has(name.slice(3)) : match[2] === '/' && OPENS.has(name);
    const branch = liquid ? BRANCHES.has(name) : match[2] === '' && name === 'else';
    if (opens) {
      if (depth > 0) return undefined;
      depth = 1;
    } else if (branch || ends) {
      if (depth === 0) return undefined;
      if (literal !== '') pieces.push(literal);
      if (ends) closed = true;
    } else return undefined;
  }
  return closed && text.slice(at).trim() === '' && pieces.length > 1 ? pieces : undefined;
}

/** Roles a message reaches (design.md "Delivery"): the addressees (those a dynamic `to` can name), or every other role watching the type. */
function receiversOf(sop: ResolvedSop, type: string, to: readonly string[] | undefined, sender: string | undefined): string[] {
  if (to !== undefined) return to.filter((roleId) => roleId !== sender && sop.roles.some((role) => role.id === roleId));
  return sop.roles.filter((role) => role.id !== sender && role.watch.includes(type)).map((role) => role.id);
}

function stopsRun(sop: ResolvedSop, type: string): boolean {
  return sop.stopWhen.some((condition) => condition.type === type);
}

function stopLabel(sop: ResolvedSop, type: string): string {
  const conditions = sop.stopWhen.filter((condition) => condition.type === type);
  const unconditional = conditions.some((condition) => condition.if === undefined);
  if (unconditional) return type;
  return `${type} if ${conditions.map((condition) => condition.if?.source ?? '').join(' || ')}`;
}

/** What shapes when and how often an action runs: its trigger condition, command, fan-out, run limit, precondition. */
function actionMarkers(action: ResolvedAction): string[] {
  const markers: string[] = [];
  if (action.whenIf) markers.push(`when ${condition(action.whenIf.source)}`);
  if (action.run) markers.push(`command: ${shorten(action.run.argv?.source ?? action.run.command.map((part) => part.text).join(' '), 24)}`);
  if (action.foreach) markers.push('foreach');
  if (action.batch) markers.push('batch');
  if (action.maxRuns !== undefined) markers.push(`max_runs ${typeof action.maxRuns === 'number' ? action.maxRuns : `inputs.${action.maxRuns.input}`}`);
  const precondition = action.precondition;
  if (precondition?.assert) markers.push(`requires ${condition(precondition.assert.source)}`);
  if (precondition?.command) markers.push(`requires: ${shorten(precondition.command.command.map((part) => part.text).join(' '), 24)}`);
  return markers;
}

/** A CEL condition as a label: one line, cut so long conditions do not stretch the drawing. */
function condition(source: string): string {
  return shorten(source.replace(/\s+/g, ' ').trim(), 36);
}

/** Long command lines would stretch the drawing; the start says which command it is. */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${textStart(text, max - 1).trimEnd()}…`;
}

function withMarkers(label: string, markers: string[]): string {
  return markers.length === 0 ? label : `${label} [${markers.join(', ')}]`;
}

function describeOnFail(onFail: ResolvedGate['onFail']): string {
  if (onFail === undefined || onFail === 'stop') return 'stop';
  if (onFail === 'warn') return 'warn';
  // Revisions come first; when they are used up the output is routed, published anyway (warn), or the run stops.
  const escalation = escalationOf(onFail);
  const then = escalation ? `route ${escalation.route}${escalation.to ? ` to ${escalation.to}` : ''}` : typeof onFail.then === 'string' ? onFail.then : 'stop';
  return onFail.revise !== undefined ? `revise x${onFail.revise}, then ${then}` : then;
}

/** Shorthands resolve to an assert; the drawing names the one written (`contains gate`), as the SOP says it. */
const SHORTHANDS = ['contains', 'matches', 'length'] as const;

/** The gate's kind as the SOP writes it: `contains` for a `contains:` gate (resolved to an assert). */
export function writtenGateKind(gate: ResolvedGate): string {
  return gate.kind === 'assert' ? (SHORTHANDS.find((shorthand) => gate.declared[shorthand] !== undefined) ?? 'assert') : gate.kind;
}

function gateLines(gate: ResolvedGate): string[] {
  const kind = writtenGateKind(gate);
  // Only a name the author gave; generated ones (`write_prd#0`) add nothing to the picture.
  const name = gate.declared.name;
  const title = name ? `${kind} gate: ${name}` : `${kind} gate`;
  // A gate checked only sometimes says when; otherwise it looks like it always runs.
  const only = [gate.if ? `if ${condition(gate.if.source)}` : undefined, gate.humanEnabled ? `enabled if ${condition(gate.humanEnabled.source)}` : undefined];
  return [title, ...only.filter((line): line is string => line !== undefined), `on fail: ${describeOnFail(gate.onFail)}`];
}

/** Dashed edges for what a failing gate does: revise goes back to the emitting role, route publishes a type. */
function failureEdges(sop: ResolvedSop, roleId: string, gateId: string, gate: ResolvedGate): GraphEdge[] {
  const onFail = gate.onFail;
  if (onFail === undefined || typeof onFail === 'string') return [];
  const edges: GraphEdge[] = [];
  if (onFail.revise !== undefined) {
    edges.push({ from: gateId, to: roleNodeId(roleId), label: `fail: revise x${onFail.revise}`, dashed: true });
  }
  const escalation = escalationOf(onFail);
  if (escalation) {
    const routed = escalation.route;
    // The routed message is published by the emitting role: it reaches its `to`, else the other roles watching its type.
    for (const receiver of receiversOf(sop, routed, escalation.to === undefined ? undefined : [escalation.to], roleId)) {
      edges.push({ from: gateId, to: roleNodeId(receiver), label: `fail: ${routed}`, dashed: true });
    }
    if (stopsRun(sop, routed)) edges.push({ from: gateId, to: DONE_NODE_ID, label: `fail: ${routed}`, dashed: true });
  }
  return edges;
}
