import { describe, expect, test } from 'vitest';
import { validateSopText } from '../../src/spec/index.js';
import { errors } from './helpers.js';

/** A chain of `count` roles: role i watches Step{i} and publishes Step{i+1}, each with a payload schema. */
function largeSop(count: number): string {
  const lines = ['apiVersion: sop/v1', 'kind: SOP', 'metadata: { name: large, version: 1.0.0 }', 'messages:'];
  for (let index = 0; index <= count; index++) {
    lines.push(`  Step${index}:`, `    description: step ${index}`, '    schema: { type: object, required: [title], properties: { title: { type: string }, items: { type: array, items: { type: string } } } }');
  }
  lines.push('start: [{ type: Step0, content: "{{ inputs.idea }}" }]', 'roles:');
  for (let index = 0; index < count; index++) {
    lines.push(
      `  role_${index}:`,
      `    profile: Role ${index}`,
      `    watch: [Step${index}]`,
      '    actions:',
      `      - id: act_${index}`,
      '        when: { if: "payload.title != \'\'" }',
      '        prompt: |',
      `          You are {{ role.profile }}. Continue {{ message.content }} for {{ inputs.idea }}.`,
      '          {% for m in memory %}{{ m.content }}{% endfor %}',
      `        output: { type: Step${index + 1}, format: json }`,
      `        artifacts: [{ path: "out/${index}/{{ message.id }}.md", content: "{{ output }}" }]`,
      '        gates: [{ assert: "size(output) > 0" }]',
    );
  }
  lines.push(`stop_when: { type: Step${count} }`);
  return `${lines.join('\n')}\n`;
}

describe('a large SOP', () => {
  // How long it takes is measured by `npm run bench` ("validate 200-role SOP"), never asserted in a test.
  test('a 200-role SOP validates', async () => {
    const result = await validateSopText(largeSop(200), '/tmp/large.yaml');
    expect(errors(result)).toEqual([]);
    expect(result.sop?.roles).toHaveLength(200);
  });
});
