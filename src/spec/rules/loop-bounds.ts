import { escalationOf } from '../gate-places.js';
import { joinPointer } from '../pointer.js';
import { addresseesOf } from '../recipients.js';
import type { ExpressionText, ResolvedAction, ResolvedSop } from '../resolved.js';
import { triggerTypes, type RuleContext } from './rule-context.js';

/** One message an action can publish: its output, or a failing gate's route. */
interface Sent {
  type: string;
  /** Undefined: delivered by type. */
  to: readonly string[] | undefined;
}

/**
 * LOOP_UNBOUNDED (warning): actions that can trigger each other in a circle (a role watching a type
 * it can cause again, through other roles) with nothing that ends the circle: no `max_runs` and no
 * `when.if` that can change its answer on any of its actions, no `stop_when` on any type it publishes,
 * and no `settings.n_round` written in the SOP. Such a loop runs until the default round limit ends the
 * run (exit 5).
 */
export function loopBounds(context: RuleContext): void {
  const { sop } = context;
  if (sop.document.settings?.n_round !== undefined) return;
  const actions = sop.roles.flatMap((role) => role.actions);
  const next = successors(sop, actions);
  const stopTypes = new Set(sop.stopWhen.map((condition) => condition.type));
  const bounding = boundingConditions(context);
  for (const loop of circles(actions, next)) {
    const bounded = loop.some((action) => action.maxRuns !== undefined || (action.whenIf !== undefined && bounding.has(action.whenIf)) || sent(sop, action).some((message) => stopTypes.has(message.type)));
    if (bounded) continue;
    const first = loop[0]!;
    const path = cycleThrough(first, new Set(loop), next).map((action) => `\`${action.roleId}.${action.id}\``).join(' → ');
    context.sink.warning('LOOP_UNBOUNDED', joinPointer(first.pointer, 'output', 'type'), `loop without a bound: ${path} can run until the round limit ends the run (${sop.settings.nRound} rounds, exit 5)`, {
      expected: 'a bound on one action of the loop, or a round limit written for this SOP',
      hint: `add \`max_runs\` or a \`when.if\` that ends it (e.g. a counter in the payload) to one of ${loop.map((action) => `\`${action.id}\``).join(', ')}, a \`stop_when\` on a type it publishes, or \`settings.n_round\``,
    });
  }
}

/** Roots of a `when.if` that hold one value for the whole run: a condition reading only these (or nothing, as `"true"`) never ends a loop. */
const FIXED_FOR_THE_RUN = new Set(['inputs', 'vars']);

/**
 * The `when.if` conditions that can end a loop: those reading something that changes as it turns
 * (the message, its payload, `thread.turn`, `round`). One that does not compile counts as a bound:
 * its EXPRESSION_SYNTAX error is the finding, not a second warning.
 */
function boundingConditions(context: RuleContext): Set<ExpressionText> {
  const bounding = new Set<ExpressionText>();
  for (const site of context.expressions()) {
    if (site.place !== 'when') continue;
    const changing = site.compiled === undefined || site.compiled.variables().some((path) => !FIXED_FOR_THE_RUN.has(path[0]!));
    if (changing) bounding.add(site.expression);
  }
  return bounding;
}

/** The shortest way from `first` back to itself inside its circle (breadth first), as the path to print: `first`, ..., `first`. */
function cycleThrough(first: ResolvedAction, members: ReadonlySet<ResolvedAction>, next: Map<ResolvedAction, ResolvedAction[]>): ResolvedAction[] {
  const cameFrom = new Map<ResolvedAction, ResolvedAction>();
  const queue = [first];
  for (let at = 0; at < queue.length; at += 1) {
    const action = queue[at]!;
    for (const other of next.get(action) ?? []) {
      if (!members.has(other)) continue;
      if (other === first) {
        const path = [first];
        for (let step: ResolvedAction | undefined = action; step !== undefined && step !== first; step = cameFrom.get(step)) path.splice(1, 0, step);
        return [...path, first];
      }
      if (cameFrom.has(other)) continue;
      cameFrom.set(other, action);
      queue.push(other);
    }
  }
  return [first, first]; // not reached: every member of a circle leads back to its start
}

function sent(sop: ResolvedSop, action: ResolvedAction): Sent[] {
  const messages: Sent[] = [{ type: action.output.type, to: addresseesOf(sop, action) }];
  for (const gate of action.gates) {
    const escalation = escalationOf(gate.onFail);
    if (escalation) messages.push({ type: escalation.route, to: escalation.to === undefined ? undefined : [escalation.to] });
  }
  return messages;
}

/**
 * For each action, the actions its messages can trigger, in other roles (a role never receives its
 * own messages). Indexed by type, so a 10,000-role SOP is not compared role by role.
 */
function successors(sop: ResolvedSop, actions: readonly ResolvedAction[]): Map<ResolvedAction, ResolvedAction[]> {
  const byType = new Map<string, ResolvedAction[]>();
  for (const role of sop.roles) {
    for (const action of role.actions) {
      for (const type of new Set(triggerTypes(sop, role, action))) {
        const list = byType.get(type);
        if (list) list.push(action);
        else byType.set(type, [action]);
      }
    }
  }
  const watches = new Map(sop.roles.map((role) => [role.id, new Set(role.watch)]));
  const next = new Map<ResolvedAction, ResolvedAction[]>();
  for (const action of actions) {
    const reached = new Set<ResolvedAction>();
    for (const message of sent(sop, action)) {
      for (const other of byType.get(message.type) ?? []) {
        if (other.roleId === action.roleId) continue;
        const receives = message.to === undefined ? watches.get(other.roleId)!.has(message.type) : message.to.includes(other.roleId);
        if (receives) reached.add(other);
      }
    }
    next.set(action, [...reached]);
  }
  return next;
}

/**
 * The circles of the action graph: its strongly connected parts of two actions or more, in
 * declaration order (Tarjan's algorithm, with its own stack: a chain of 10,000 actions must not
 * exhaust the call stack).
 */
function circles(actions: readonly ResolvedAction[], next: Map<ResolvedAction, ResolvedAction[]>): ResolvedAction[][] {
  const order = new Map(actions.map((action, position) => [action, position]));
  const index = new Map<ResolvedAction, number>();
  const low = new Map<ResolvedAction, number>();
  const stack: ResolvedAction[] = [];
  const onStack = new Set<ResolvedAction>();
  const found: ResolvedAction[][] = [];
  for (const root of actions) {
    if (index.has(root)) continue;
    const work: Array<{ action: ResolvedAction; edge: number }> = [{ action: root, edge: 0 }];
    index.set(root, index.size);
    low.set(root, index.get(root)!);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = next.get(frame.action) ?? [];
      if (frame.edge < edges.length) {
        const other = edges[frame.edge++]!;
        if (!index.has(other)) {
          index.set(other, index.size);
          low.set(other, index.get(other)!);
          stack.push(other);
          onStack.add(other);
          work.push({ action: other, edge: 0 });
        } else if (onStack.has(other)) low.set(frame.action, Math.min(low.get(frame.action)!, index.get(other)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.action, Math.min(low.get(parent.action)!, low.get(frame.action)!));
      if (low.get(frame.action) !== index.get(frame.action)) continue;
      const part: ResolvedAction[] = [];
      let member: ResolvedAction;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        part.push(member);
      } while (member !== frame.action);
      if (part.length > 1) found.push(part.sort((left, right) => order.get(left)! - order.get(right)!));
    }
  }
  return found.sort((left, right) => order.get(left[0]!)! - order.get(right[0]!)!);
}
