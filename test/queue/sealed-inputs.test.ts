import { describe, expect, it } from 'vitest';
import { readRunJob } from '../../src/queue/index.js';
import { openInputs, readQueueKey, sealInputs, secretInputNames } from '../../src/queue/sealed-inputs.js';

/** A queued run's secret inputs sealed with SOP_QUEUE_KEY (docs/queue.md, "Secrets"), through the library. */
const RUN = '20260101-000000-abcdef';
const OTHER_RUN = '20260101-000000-fedcba';
const key = readQueueKey({ SOP_QUEUE_KEY: Buffer.alloc(32, 7).toString('base64') });
const RESUME = `sop resume ${RUN} --queue redis://127.0.0.1:6379`;
if (!key) throw new Error('the test key did not read');

describe('SOP_QUEUE_KEY', () => {
  it('takes 32 bytes as 64 hex digits or as base64 (padded, unpadded, base64url); unset is none', () => {
    const bytes = Buffer.alloc(32, 0xfb);
    for (const text of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), `${bytes.toString('base64')}\n`]) {
      expect(readQueueKey({ SOP_QUEUE_KEY: text })).toBeDefined();
    }
    expect(readQueueKey({})).toBeUndefined();
    expect(readQueueKey({ SOP_QUEUE_KEY: '' })).toBeUndefined();
  });

  it('refuses a short or malformed key as a usage error naming the variable, not the value', () => {
    const short = Buffer.from('sixteen byte key').toString('hex');
    expect(() => readQueueKey({ SOP_QUEUE_KEY: short })).toThrowError(expect.objectContaining({ code: 'USAGE', message: 'SOP_QUEUE_KEY is not a queue key: it holds 16 bytes, a queue key is 32 (64 hex digits, or 44 base64 characters)' }));
    expect(() => readQueueKey({ SOP_QUEUE_KEY: 'pass word!' })).toThrowError(expect.objectContaining({ code: 'USAGE', message: expect.not.stringContaining('pass word') }));
  });

  it('never shows its bytes when printed or serialised', () => {
    const hex = Buffer.alloc(32, 0xab).toString('hex');
    const read = readQueueKey({ SOP_QUEUE_KEY: hex });
    expect(JSON.stringify(read)).not.toContain('abab');
    expect(String(read?.secret)).not.toContain('abab');
  });
});

describe('sealed inputs', () => {
  const sop = { inputs: [{ name: 'idea', required: true, aliases: [] }, { name: 'auth', required: false, aliases: ['access_token'] }] };

  it('are the inputs named like a secret, or given by a name or alias of one', () => {
    expect(secretInputNames(sop, { idea: 'x', access_token: 'y', db_password: 'z' })).toEqual(['access_token', 'db_password']);
  });

  it('open on the worker with the same key, with their types; the job holds only the sealed form', () => {
    const { inputs, sealed } = sealInputs(RUN, { idea: 'x', api_key: 'sk-abcdefgh-12345', pin_token: 4711 }, ['api_key', 'pin_token'], key);
    expect(inputs).toEqual({ idea: 'x' });
    expect(JSON.stringify(sealed)).not.toContain('sk-abcdefgh');
    const job = readRunJob({ v: 1, runId: RUN, bundle: 'a'.repeat(64), sop: 'team', inputs, sealed, models: {} }, RUN);
    expect(openInputs(job, key, RESUME)).toEqual({ idea: 'x', api_key: 'sk-abcdefgh-12345', pin_token: 4711 });
  });

  it('do not open moved to another run or another input, altered, or with another key', () => {
    const { sealed } = sealInputs(RUN, { api_key: 'sk-abcdefgh-12345', other_key: 'sk-zzzzzzzz-99999' }, ['api_key', 'other_key'], key);
    const mismatch = (name: string) => expect.objectContaining({ code: 'QUEUE_KEY_MISMATCH', message: expect.stringContaining(`does not open its secret input "${name}"`), hint: expect.stringContaining(RESUME) });
    expect(() => openInputs({ runId: OTHER_RUN, inputs: {}, sealed }, key, RESUME)).toThrowError(mismatch('api_key'));
    expect(() => openInputs({ runId: RUN, inputs: {}, sealed: { other_key: sealed['api_key'] as string } }, key, RESUME)).toThrowError(mismatch('other_key'));
    const altered = (sealed['api_key'] as string).slice(0, -2) + ((sealed['api_key'] as string).endsWith('AA') ? 'BB' : 'AA');
    expect(() => openInputs({ runId: RUN, inputs: {}, sealed: { api_key: altered } }, key, RESUME)).toThrowError(mismatch('api_key'));
    const another = readQueueKey({ SOP_QUEUE_KEY: 'b'.repeat(64) });
    expect(() => openInputs({ runId: RUN, inputs: {}, sealed }, another, RESUME)).toThrowError(mismatch('api_key'));
    expect(() => openInputs({ runId: RUN, inputs: {}, sealed }, undefined, RESUME)).toThrowError(
      expect.objectContaining({ code: 'QUEUE_KEY_MISMATCH', message: `run ${RUN}: its secret input "api_key", "other_key" is sealed with the submitter's SOP_QUEUE_KEY, and this worker has no SOP_QUEUE_KEY` }),
    );
  });

  it('a job whose sealed field is not sealed values, or names an input also given in clear, is refused', () => {
    const base = { v: 1, runId: RUN, bundle: 'a'.repeat(64), sop: 'team', inputs: { api_key: 'x' }, models: {} };
    expect(() => readRunJob({ ...base, sealed: { api_key: 'in clear' } }, RUN)).toThrowError(expect.objectContaining({ code: 'QUEUE_JOB_INVALID', message: expect.stringContaining('/sealed/api_key') }));
    const { sealed } = sealInputs(RUN, { api_key: 'y' }, ['api_key'], key);
    expect(() => openInputs(readRunJob({ ...base, sealed }, RUN), key, RESUME)).toThrowError(expect.objectContaining({ code: 'QUEUE_JOB_INVALID', message: expect.stringContaining('input "api_key" is given both sealed and in clear') }));
  });
});
