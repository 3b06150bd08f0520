import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, sop, tempDir } from './run-cli.js';

afterAll(removeTempDirs);

/**
 * A Liquid block closed or continued as another language writes it (`{% end %}`, `{% elif %}`), or
 * an `{% endif %}` with no `{% if %}` open, was refused with the list of Liquid's tags only: the hint
 * now says what Liquid writes there.
 */
describe('sop validate: Liquid blocks closed the way other languages close them', () => {
  it.each([
    ['{% if message.content %}yes{% end %}', 'unknown tag `end`', 'hint: a Liquid block is closed with `end` and its name: `{% endif %}`, `{% endfor %}`'],
    ['{% if message.content %}a{% elif message.content %}b{% endif %}', 'unknown tag `elif`', 'hint: Liquid writes else-if as `{% elsif condition %}`'],
    ['Write about {{ message.content }}.{% endif %}', 'unknown tag `endif`', 'hint: `{% endif %}` closes no `{% if %}` opened before it: remove it, or add the `{% if ... %}` it closes'],
  ])('%s', async (template, error, hint) => {
    const cwd = tempDir('sop-liquid-end-');
    expect((await sop(['init', '.'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'prompts', 'write_draft.liquid'), `${template}\n`);
    const validated = await sop(['validate', 'sop.yaml'], { cwd });
    expect(validated.code, validated.stdout).toBe(3);
    expect(validated.stdout).toContain(`prompts/write_draft.liquid:1:`);
    expect(validated.stdout).toContain(`error TEMPLATE_SYNTAX: template syntax error: ${error}\n  ${hint}`);
  });
});
