import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSopGraph } from '../../src/graph/model.js';
import { loadResolvedSop } from '../../src/index.js';
import { repoRoot } from '../cli/run-cli.js';

/** `sop graph` draws what format reach adds to the flow: dynamic recipients, escalations, gates from sets and types. */
const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'reach');

async function graphOf(name: string) {
  const { sop } = await loadResolvedSop(path.join(FIXTURES, name));
  return buildSopGraph(sop);
}

function edges(graph: Awaited<ReturnType<typeof graphOf>>): string[] {
  return graph.edges.map((edge) => `${edge.from} -> ${edge.to}: ${edge.label}${edge.dashed ? ' (dashed)' : ''}`);
}

describe('sop graph of format reach', () => {
  it('a dynamic `to` draws an edge to each role it can name, labelled with the template', async () => {
    expect(edges(await graphOf('delegate.yaml'))).toEqual([
      'user -> role_manager: Request',
      'role_manager -> role_frontend: Assignment to {{ payload.assignee }}',
      'role_manager -> role_backend: Assignment to {{ payload.assignee }}',
      'role_frontend -> role_manager: Done to {{ message.from }}',
      'role_frontend -> done: Done',
      'role_backend -> role_manager: Done to {{ message.from }}',
      'role_backend -> done: Done',
    ]);
  });

  it('an escalation is a dashed edge from the gate to the role that takes the work over', async () => {
    const graph = await graphOf('escalate.yaml');
    expect(edges(graph)).toContain('gate_draft_1 -> role_senior_editor: fail: Escalated (dashed)');
    expect(graph.nodes.find((node) => node.id === 'gate_draft_1')?.lines).toContain('on fail: revise x1, then route Escalated to senior_editor');
  });

  it('gates from a set and from the message type are drawn on each action that passes them', async () => {
    const graph = await graphOf('gate-sets.yaml');
    const gates = graph.nodes.filter((node) => node.kind === 'gate').map((node) => `${node.id}: ${node.lines[0]}`);
    expect(gates).toEqual([
      'gate_draft_1: matches gate: has-title',
      'gate_draft_2: length gate: long-enough',
      'gate_revise_1: matches gate: has-title',
      'gate_revise_2: length gate: long-enough',
    ]);
  });
});
