import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { MAX_ROUNDS } from '../../src/spec/index.js';
import { validateSopText } from '../../src/spec/validate.js';
import { REPO_ROOT } from './helpers.js';

/** `--n-round` and an input setting `n_round` are bounded by MAX_ROUNDS: the schema's own bound for `settings.n_round`. */
test('MAX_ROUNDS is settings.n_round\'s maximum in the SOP schema, and an SOP past it is refused at its position', async () => {
  const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'sop.v1.schema.json'), 'utf8'));
  const whole = schema.$defs.Settings.properties.n_round.oneOf.find((branch: { type?: string }) => branch.type === 'integer');
  expect(whole).toEqual({ type: 'integer', minimum: 1, maximum: MAX_ROUNDS });

  const sop = (rounds: number): string =>
    `apiVersion: sop/v1\nkind: SOP\nmetadata: { name: r, version: 0.1.0 }\nsettings: { n_round: ${rounds} }\nmessages:\n  Idea: {}\nstart: [{ type: Idea, content: x }]\nroles:\n  a:\n    profile: A\n    watch: [Idea]\n    actions:\n      - { id: go, prompt: hi, output: { type: Idea } }\n`;
  const errors = async (rounds: number) => (await validateSopText(sop(rounds), 'r.yaml')).diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  expect(await errors(MAX_ROUNDS)).toEqual([]);
  expect(await errors(MAX_ROUNDS + 1)).toEqual([expect.objectContaining({ line: 4, message: `must be at most ${MAX_ROUNDS}` })]);
});
