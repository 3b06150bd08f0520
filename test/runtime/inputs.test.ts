import { describe, expect, it } from 'vitest';
import { SopError } from '../../src/errors/index.js';
import { coerceInputs } from '../../src/runtime/inputs.js';
import type { ResolvedInput } from '../../src/spec/resolved.js';

const TICKET: ResolvedInput = { name: 'ticket', type: 'string', required: true, aliases: ['idea'] };
const TURNS: ResolvedInput = { name: 'turns', type: 'integer', required: false, default: 2, aliases: ['exchanges'] };

function refusal(run: () => unknown): SopError {
  try {
    run();
  } catch (error) {
    if (error instanceof SopError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('input aliases', () => {
  it('a value given under any name is the input\'s, seen under every name; a default too', () => {
    expect(coerceInputs([TICKET, TURNS], { idea: 'printer on fire' })).toEqual({ ticket: 'printer on fire', idea: 'printer on fire', turns: 2, exchanges: 2 });
    expect(coerceInputs([TICKET, TURNS], { ticket: 'x', exchanges: '5' })).toEqual({ ticket: 'x', idea: 'x', turns: 5, exchanges: 5 });
  });

  it('one input given under two names, or a name nobody declared: INPUT_INVALID naming them', () => {
    const twice = refusal(() => coerceInputs([TICKET], { ticket: 'a', idea: 'b' }));
    expect(twice.code).toBe('INPUT_INVALID');
    expect(twice.message).toBe('input "ticket" was given twice (as "ticket" and as "idea")');
    expect(refusal(() => coerceInputs([TICKET], { topic: 'a' })).message).toBe('unknown input "topic"; this SOP declares: idea, ticket');
    // A typo of a declared name (or of an alias) is named, as unknown flags and fields are.
    expect(refusal(() => coerceInputs([TICKET], { tikcet: 'a' })).message).toBe('unknown input "tikcet" (did you mean `ticket`?); this SOP declares: idea, ticket');
    const missing = refusal(() => coerceInputs([TICKET], {}));
    expect(missing.code).toBe('INPUT_MISSING');
    expect(missing.hint).toBe('give it as the argument after the SOP file: sop run FILE "the ticket" (or as --input ticket=<string>)');
    // With the SOP file named, the hint's command runs as written (a path with a space quoted).
    expect(refusal(() => coerceInputs([TICKET], {}, { sopFile: 'my sops/triage.yaml' })).hint).toBe('give it as the argument after the SOP file: sop run \'my sops/triage.yaml\' "the ticket" (or as --input ticket=<string>)');
  });
});
