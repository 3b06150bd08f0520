import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSop, type RunEvent } from '../../src/runtime/index.js';
import { loadResolvedSop } from '../../src/spec/index.js';
import { FIXTURES, eventsOf, readEvents, runFixture, tempFolder } from './helpers/run-fixture.js';
import { scriptedModel, actionHints } from './helpers/scripted-model.js';

describe('progress events', () => {
  it('onEvent sees every logged event, live, in the same order', async () => {
    const live: RunEvent[] = [];
    const run = await runFixture('pipeline.yaml', {
      model: scriptedModel((request) => (actionHints(request)?.format === 'json' ? '{"approved": false, "comments": []}' : 'draft')),
      onEvent: (event) => live.push(event),
    });
    expect(live.map((event) => event.type)).toEqual(run.events.map((event) => event.type));
    expect(live[0]).toMatchObject({ type: 'run-start', sop: 'pipeline', offline: false, inputs: { idea: 'a todo app' } });
    // Times come from the injected clock (one tick per reading).
    expect(run.events[0]?.['time']).toBe('2025-01-02T03:04:06.000Z');
  });

  it('a throwing listener does not break the run', async () => {
    const run = await runFixture('delivery.yaml', {
      model: scriptedModel(() => 'ok'),
      onEvent: () => {
        throw new Error('display crashed');
      },
    });
    expect(run.result.status).toBe('completed');
  });

  it('a message addressed to an unknown role at run time is recorded as undeliverable', async () => {
    const { sop } = await loadResolvedSop(path.join(FIXTURES, 'delivery.yaml'));
    // Validation refuses unknown addresses; simulate one arising at run time.
    const echo = sop.roles[0]?.actions.find((action) => action.id === 'echo');
    if (!echo) throw new Error('fixture changed');
    echo.output.to = 'ghost';
    const result = await runSop(sop, { inputs: { idea: 'x' }, cwd: tempFolder(), model: scriptedModel(() => 'ok') });
    const events = readEvents(result.runDir);
    expect(events.filter((event) => event.type === 'message-undeliverable')).toEqual([
      expect.objectContaining({ message: 'm0003', messageType: 'Echo', to: 'ghost', round: 1 }),
    ]);
  });

  it('records message-delivered with the recipients of each message', async () => {
    const run = await runFixture('pipeline.yaml', { model: scriptedModel((request) => (actionHints(request)?.format === 'json' ? '{"approved": true, "comments": []}' : 'd')) });
    expect(eventsOf(run, 'message-delivered').map((event) => [event['message'], event['recipients']])).toEqual([
      ['m0001', ['writer']],
      ['m0002', ['reviewer']],
    ]);
  });
});
