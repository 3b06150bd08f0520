import { describe, expect, it } from 'vitest';
import { homeJournal } from '../../src/queue/home-copy.js';
import { submittedValue } from '../../src/queue/submitter-paths.js';

const BUNDLE = `/tmp/sop-worker-AbC123/bundles/${'a'.repeat(64)}`;
const places = { bundleDir: BUNDLE, shown: 'sub/team.yaml' };

describe("a queued run's paths in its worker's bundle, as its submitter knows them", () => {
  it('a file the SOP references is named beside the SOP as typed; an error that is not an MCP server\'s gets no worker hint', () => {
    const error = { code: 'TEMPLATE_ERROR', message: `${BUNDLE}/prompts/plan.md:3:5: unknown filter \`upcase2\``, hint: 'did you mean `upcase`?' };
    expect(submittedValue(error, places)).toEqual({ ...error, message: 'sub/prompts/plan.md:3:5: unknown filter `upcase2`' });
    // Typed from the SOP's folder: no folder before the file's name.
    expect(submittedValue(`${BUNDLE}/team.yaml:9:3`, { bundleDir: BUNDLE, shown: 'team.yaml' })).toBe('team.yaml:9:3');
  });

  it("an MCP server's error: its paths are mapped, its hint added to by no one but the server's start (see queue-worker-paths)", () => {
    const error = { code: 'MCP_SERVER_FAILED', message: `${BUNDLE}/team.yaml:5:3: MCP server "notes": cannot connect: cannot start \`notes\`: command not found`, hint: `is \`notes\` installed and on PATH? \`notes\` is started from ${BUNDLE} without a shell` };
    expect(submittedValue(error, places)).toEqual({
      code: 'MCP_SERVER_FAILED',
      message: 'sub/team.yaml:5:3: MCP server "notes": cannot connect: cannot start `notes`: command not found',
      hint: "is `notes` installed and on PATH? `notes` is started from the worker's copy of the SOP's folder without a shell",
    });
  });

  it('an event naming no path of the bundle is forwarded as it is; one that does is a copy, the event itself unchanged', () => {
    const quiet = { type: 'message-published', round: 1, message: { id: 'm1', type: 'Answer', content: 'Deploy with `make ship`.', payload: { steps: ['build', 'ship'] } }, time: 't' };
    expect(submittedValue(quiet, places)).toBe(quiet);
    const end = { type: 'run-end', status: 'failed', exitCode: 9, rounds: 1, error: { code: 'TEMPLATE_ERROR', message: `${BUNDLE}/team.yaml:9:3: bad` }, models: [{ key: 'offline' }], time: 't' };
    const before = JSON.stringify(end);
    const mapped = submittedValue(end, places);
    expect(mapped.error.message).toBe('sub/team.yaml:9:3: bad');
    // The worker's own journal keeps its paths: the event it was given is not changed.
    expect(JSON.stringify(end)).toBe(before);
    // What names no path is shared, not copied.
    expect(mapped.models).toBe(end.models);
    expect(submittedValue([quiet, end], places)).toEqual([quiet, mapped]);
  });

  it('a brought-home journal: error lines naming the bundle of the worker that ran that part, whichever took the run over', () => {
    const other = BUNDLE.replace('AbC123', 'XyZ789');
    const lines = [
      { seq: 1, type: 'run-info', sop: { file: `${BUNDLE}/team.yaml` } },
      { seq: 2, type: 'action-failed', error: { code: 'TEMPLATE_ERROR', message: `${BUNDLE}/prompts/plan.md:3:5: bad` } },
      { seq: 3, type: 'run-info', sop: { file: `${other}/team.yaml` } },
      { seq: 4, type: 'run-end', error: { code: 'TEMPLATE_ERROR', message: `${other}/team.yaml:9:3: bad` } },
    ];
    const home = homeJournal(Buffer.from(`${lines.map((line) => JSON.stringify(line)).join('\n')}\n`), { sop: { file: '/home/me/p/sub/team.yaml', shown: 'sub/team.yaml' }, workspace: '/home/me/p/workspace' });
    const text = home.toString('utf8');
    expect(text).not.toContain('sop-worker');
    const read = text.trim().split('\n').map((line) => JSON.parse(line) as { error?: { message: string } });
    expect(read[1]?.error?.message).toBe('sub/prompts/plan.md:3:5: bad');
    expect(read[3]?.error?.message).toBe('sub/team.yaml:9:3: bad');
  });
});
