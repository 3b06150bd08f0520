import { describe, expect, it } from 'vitest';
import { expressionField } from '../../src/expressions/index.js';

describe('the field an expression is written in, as messages name it', () => {
  it.each([
    ['/roles/dev/actions/0/when/if', '`when.if`'],
    ['/stop_when/if', '`stop_when.if`'],
    ['/stop_when/1/if', '`stop_when.if`'],
    ['/start/0/if', '`start.if`'],
    ['/roles/dev/actions/2/foreach', '`foreach`'],
    ['/roles/dev/actions/2/foreach/items', '`foreach.items`'],
    ['/roles/dev/actions/0/precondition/assert', '`precondition.assert`'],
    ['/roles/dev/actions/0/reads/1/each', '`reads.each`'],
    ['/roles/dev/actions/0/gates/1/assert', 'gate `assert`'],
    ['/roles/dev/actions/0/gates/0/human/enabled', 'gate `human.enabled`'],
    ['/gates/checks/0/if', 'gate `if`'],
    ['/messages/Draft/gates/0/assert', 'gate `assert`'],
    ['/roles/dev/actions/0/artifacts/3/if', 'artifact `if`'],
    ['/expect/messages/0/where', '`where`'],
    ['/expect/artifacts/1/where', '`where`'],
  ])('%s: %s', (pointer, field) => {
    expect(expressionField(pointer)).toBe(field);
  });

  it('none for a pointer that names no field', () => {
    expect(expressionField('')).toBeUndefined();
    expect(expressionField('/stop_when/0')).toBeUndefined();
  });
});
