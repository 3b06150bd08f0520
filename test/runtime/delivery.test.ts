import { describe, expect, it } from 'vitest';
import { deliver } from '../../src/runtime/superstep/delivery.js';
import { indexRoles } from '../../src/runtime/superstep/sop-index.js';
import type { Message } from '../../src/runtime/message.js';
import { eventsOf, runFixture } from './helpers/run-fixture.js';
import { scriptedModel, userPrompt, actionHints } from './helpers/scripted-model.js';

function message(id: string, type: string, from: string, to: string | null = null): Message {
  return { id, type, content: '', payload: null, from, to, cause: null, round: 1 };
}

const ROLES = indexRoles([
  { id: 'pm', watch: ['Idea', 'Review'] },
  { id: 'dev', watch: ['Design', 'Review'] },
  { id: 'qa', watch: ['Code'] },
]);

describe('deliver (pure)', () => {
  it('delivers by watch, never back to the sender, in publish order per role', () => {
    const result = deliver([message('m1', 'Review', 'pm'), message('m2', 'Idea', 'user'), message('m3', 'Review', 'qa')], ROLES);
    expect(result.byRole.get('pm')?.map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(result.byRole.get('dev')?.map((m) => m.id)).toEqual(['m1', 'm3']);
    expect(result.byRole.has('qa')).toBe(false);
    expect(result.recipients.get('m1')).toEqual(['dev']);
  });

  it('an addressed message reaches only its addressee, watched or not', () => {
    const result = deliver([message('m1', 'Code', 'dev', 'pm')], ROLES);
    expect(result.recipients.get('m1')).toEqual(['pm']);
    expect(result.byRole.has('qa')).toBe(false);
  });

  it('records unknown addresses as undeliverable and unwatched types as unclaimed', () => {
    const result = deliver([message('m1', 'Idea', 'user', 'ghost'), message('m2', 'Nobody', 'pm'), message('m3', 'Code', 'qa', 'qa')], ROLES);
    expect(result.undeliverable.map((m) => m.id)).toEqual(['m1']);
    expect(result.unclaimed.map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(result.byRole.size).toBe(0);
  });
});

describe('delivery during a run', () => {
  it('follows watch and `to`, skips the sender, and records unclaimed messages', async () => {
    const model = scriptedModel((request) => `said: ${userPrompt(request)}`);
    const run = await runFixture('delivery.yaml', { model });
    expect(run.result.status).toBe('completed');
    const delivered = Object.fromEntries(eventsOf(run, 'message-delivered').map((event) => [event['messageType'] + ':' + event['message'], event['recipients']]));
    // m1 Start (to alice and bob), m2 Note to bob only (carol watches Note but it is addressed),
    // m3 Echo from alice does not come back to alice, m4 Unheard nobody watches.
    expect(delivered['Start:m0001']).toEqual(['alice', 'bob']);
    expect(delivered['Note:m0002']).toEqual(['bob']);
    expect(eventsOf(run, 'message-unclaimed').map((event) => event['messageType'])).toContain('Unheard');
    // Echo from alice is unclaimed: alice is its sender, nobody else watches Echo.
    expect(eventsOf(run, 'message-unclaimed').map((event) => event['message'])).toContain('m0003');
    // bob reacts to both Start and the addressed Note with his default-typed action.
    const bobPrompts = model.requests.filter((request) => actionHints(request)?.role === 'bob').map(userPrompt);
    expect(bobPrompts).toEqual(['got Start from user', 'got Note from alice']);
    expect(model.requests.some((request) => actionHints(request)?.role === 'carol')).toBe(false);
  });

  it('orders published messages by role declaration order, then publish order', async () => {
    const model = scriptedModel(() => 'ok');
    const run = await runFixture('delivery.yaml', { model });
    const published = eventsOf(run, 'message-published').map((event) => {
      const m = event['message'] as Message;
      return `${m.id} ${m.round} ${m.from} ${m.type} ${m.cause ?? '-'}`;
    });
    expect(published).toEqual([
      'm0001 0 user Start -',
      'm0002 1 alice Note m0001',
      'm0003 1 alice Echo m0001',
      'm0004 1 alice Unheard m0001',
      'm0005 1 bob Echo m0001',
      'm0006 2 bob Echo m0002',
    ]);
  });
});
