import { isMap, isSeq, type Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isSopError } from '../../src/errors/index.js';
import { MIGRATIONS, MigrationRegistry, migrateSopText, type Migration } from '../../src/lock/index.js';

/** A made-up older format: actions had `instruction` instead of `prompt`, roles had `listens_to` instead of `watch`. */
const V0 = `# The team (comments survive migration)
apiVersion: sop/v0
kind: SOP
metadata: { name: old, version: 1.0.0 }
messages:
  Topic: { description: the topic }
  Notes: { description: notes }
start: [{ type: Topic, content: "{{ inputs.idea }}" }]
roles:
  writer:
    profile: Writer
    listens_to: [Topic] # what it reacts to
    actions:
      - id: write
        instruction: "Write notes on {{ message.content }}."
        output: { type: Notes }
stop_when: { type: Notes }
`;

/** Renames a key in every role (or every action) of the document. */
function renameIn(document: Document, where: 'roles' | 'actions', from: string, to: string): void {
  const roles = document.get('roles');
  if (!isMap(roles)) return;
  for (const pair of roles.items) {
    const role = pair.value;
    if (!isMap(role)) continue;
    const targets = where === 'roles' ? [role] : (() => {
      const actions = role.get('actions');
      return isSeq(actions) ? actions.items.filter(isMap) : [];
    })();
    for (const target of targets) {
      const found = target.items.find((item) => String((item.key as { value?: unknown })?.value ?? item.key) === from);
      if (found) (found.key as { value: string }).value = to;
    }
  }
}

const V0_TO_V05: Migration = {
  from: 'sop/v0',
  to: 'sop/v0.5',
  description: 'roles: `listens_to` is now `watch`',
  migrate: (document) => renameIn(document, 'roles', 'listens_to', 'watch'),
};
const V05_TO_V1: Migration = {
  from: 'sop/v0.5',
  to: 'sop/v1',
  description: 'actions: `instruction` is now `prompt`',
  migrate: (document) => renameIn(document, 'actions', 'instruction', 'prompt'),
};

describe('migrations', () => {
  it('the runner\'s registry reads sop/v1 and has no step yet: a v1 file comes back unchanged', () => {
    expect(MIGRATIONS.current).toEqual(['sop/v1']);
    const text = V0.replace('sop/v0', 'sop/v1');
    expect(migrateSopText(text, 'a.yaml')).toEqual({ from: 'sop/v1', to: 'sop/v1', steps: [], text });
  });

  it('chains registered steps from an old version to the latest, keeping comments, and sets apiVersion', () => {
    const registry = new MigrationRegistry(['sop/v1'], [V05_TO_V1, V0_TO_V05]);
    expect(registry.known()).toEqual(['sop/v1', 'sop/v0.5', 'sop/v0']);
    const result = migrateSopText(V0, 'old.yaml', registry);
    expect(result.from).toBe('sop/v0');
    expect(result.to).toBe('sop/v1');
    expect(result.steps.map((step) => step.description)).toEqual(['roles: `listens_to` is now `watch`', 'actions: `instruction` is now `prompt`']);
    expect(result.text).toContain('# The team (comments survive migration)\napiVersion: sop/v1\n');
    expect(result.text).toContain('watch: [ Topic ] # what it reacts to');
    expect(result.text).toContain('prompt: "Write notes on {{ message.content }}."');
    expect(result.text).not.toMatch(/listens_to|instruction/);
    // A file in the middle of the chain takes only the remaining step.
    expect(migrateSopText(result.text.replace('sop/v1', 'sop/v0.5'), 'mid.yaml', registry).steps).toEqual([V05_TO_V1]);
  });

  it('an unknown or missing apiVersion, or one no chain reaches the latest from, is API_VERSION_UNSUPPORTED listing the known versions', () => {
    const registry = new MigrationRegistry(['sop/v1'], [V0_TO_V05]);
    const failure = (text: string): { code: string; message: string; line?: number; expected?: string } => {
      try {
        migrateSopText(text, 'x.yaml', registry);
      } catch (error) {
        if (!isSopError(error)) throw error;
        const [diagnostic] = error.diagnostics;
        return { code: error.code, message: diagnostic?.message ?? error.message, ...(diagnostic?.line ? { line: diagnostic.line } : {}), ...(diagnostic?.expected ? { expected: diagnostic.expected } : {}) };
      }
      throw new Error('no error');
    };
    expect(failure(V0.replace('sop/v0', 'sop/v7'))).toEqual({
      code: 'API_VERSION_UNSUPPORTED', line: 2, message: 'unsupported apiVersion `sop/v7`: no migration leads from it to sop/v1', expected: 'one of: sop/v1, sop/v0',
    });
    // v0 -> v0.5 exists, but nothing leads on from v0.5.
    expect(failure(V0).message).toBe('unsupported apiVersion `sop/v0`: no migration leads from it to sop/v1');
    expect(failure(V0.replace('apiVersion: sop/v0\n', '')).message).toBe('missing `apiVersion`: no migration leads from it to sop/v1');
    expect(failure('a: [').code).toBe('YAML_SYNTAX');
  });

  it('refuses the same step registered twice', () => {
    expect(() => new MigrationRegistry(['sop/v1'], [V05_TO_V1, V05_TO_V1])).toThrow('migration sop/v0.5 -> sop/v1 is registered twice');
  });
});
