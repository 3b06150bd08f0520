import { parseDocument, type Document } from 'yaml';
import { SopError } from '../errors/index.js';
import { companionFormat, SUPPORTED_API_VERSIONS } from '../spec/envelope.js';
import { loadYaml } from '../spec/yaml-loader.js';

/**
 * One step from an older format version to the next. `migrate` edits the parsed YAML document in
 * place (comments and the layout of untouched parts survive); the registry then sets `apiVersion`.
 */
export interface Migration {
  /** The `apiVersion` this step reads (`sop/v0`). */
  from: string;
  /** The `apiVersion` it produces (`sop/v1`). */
  to: string;
  /** What it changes, one line, shown to the user. */
  description: string;
  migrate(document: Document): void;
}

/** The format versions a runner reads and the steps that upgrade older ones. */
export class MigrationRegistry {
  private readonly migrations: Migration[] = [];

  constructor(
    /** Versions this runner reads as they are, oldest first; the last one is the target of `migrate`. */
    readonly current: readonly string[],
    migrations: readonly Migration[] = [],
  ) {
    for (const migration of migrations) this.register(migration);
  }

  register(migration: Migration): void {
    if (this.migrations.some((known) => known.from === migration.from && known.to === migration.to)) {
      throw new Error(`migration ${migration.from} -> ${migration.to} is registered twice`);
    }
    this.migrations.push(migration);
  }

  /** The newest version: what `sop migrate` upgrades to. */
  get latest(): string {
    return this.current[this.current.length - 1] as string;
  }

  /** Every version `sop migrate` accepts: the current ones and every version a step starts from. */
  known(): string[] {
    return [...new Set([...this.current, ...this.migrations.map((migration) => migration.from)])];
  }

  /** The shortest chain of steps from `from` to `to` (breadth first), or undefined when there is none. */
  plan(from: string, to: string): Migration[] | undefined {
    const reached = new Map<string, Migration[]>([[from, []]]);
    const queue = [from];
    while (queue.length > 0) {
      const version = queue.shift() as string;
      const steps = reached.get(version) as Migration[];
      if (version === to) return steps;
      for (const migration of this.migrations) {
        if (migration.from !== version || reached.has(migration.to)) continue;
        reached.set(migration.to, [...steps, migration]);
        queue.push(migration.to);
      }
    }
    return undefined;
  }
}

/** The runner's registry: `sop/v1` is the only version so far, so there is no step yet. */
export const MIGRATIONS = new MigrationRegistry(SUPPORTED_API_VERSIONS);

export interface MigrationResult {
  from: string;
  to: string;
  /** The steps applied, in order; empty when the file is already at `to`. */
  steps: Migration[];
  /** The upgraded text (the input unchanged when there was nothing to do). */
  text: string;
}

/**
 * Upgrades an SOP's text to the registry's latest version. Bad YAML is YAML_SYNTAX (and the other
 * loader codes, located); a missing or unknown `apiVersion`, or one no chain of steps upgrades, is
 * API_VERSION_UNSUPPORTED listing the versions this runner knows.
 */
export function migrateSopText(text: string, file: string, registry: MigrationRegistry = MIGRATIONS): MigrationResult {
  const loaded = loadYaml(text, file);
  if (!loaded.ok) throw SopError.fromDiagnostics(loaded.diagnostics);
  const apiVersion = loaded.data['apiVersion'];
  const target = registry.latest;
  const steps = typeof apiVersion === 'string' ? registry.plan(apiVersion, target) : undefined;
  // A version the runner still reads, with no step to the latest yet: nothing to do.
  if (typeof apiVersion === 'string' && steps === undefined && registry.current.includes(apiVersion)) {
    return { from: apiVersion, to: apiVersion, steps: [], text };
  }
  const companion = companionFormat(apiVersion);
  if (companion !== undefined) {
    // `sop migrate sop.test.yaml`: "no migration leads from it to sop/v1 ... a newer file needs a
    // newer sop" sent the user after a newer sop, when the file is simply not an SOP.
    const shown = /^[\w./-]+$/.test(file) ? file : 'FILE';
    throw SopError.fromDiagnostics([
      {
        code: 'API_VERSION_UNSUPPORTED',
        severity: 'error',
        message: `this is not an SOP but ${companion.what}: \`sop migrate\` upgrades SOP files (\`apiVersion: ${target}\`)`,
        file,
        ...loaded.sourceMap.locate('/apiVersion'),
        expected: `an SOP file, of apiVersion ${registry.known().join(', ')}`,
        hint: `${companion.use.replace('FILE', shown)}; \`${String(apiVersion)}\` is the only version of its format, so the file itself needs no upgrade (to upgrade the SOP it goes with, give that SOP to \`sop migrate\`)`,
      },
    ]);
  }
  if (typeof apiVersion !== 'string' || steps === undefined) {
    const found = typeof apiVersion === 'string' ? `unsupported apiVersion \`${apiVersion}\`` : 'missing `apiVersion`';
    const at = loaded.sourceMap.locate(typeof apiVersion === 'string' ? '/apiVersion' : '');
    throw SopError.fromDiagnostics([
      {
        code: 'API_VERSION_UNSUPPORTED',
        severity: 'error',
        message: `${found}: no migration leads from it to ${target}`,
        file,
        ...at,
        expected: `one of: ${registry.known().join(', ')}`,
        hint: `this runner reads ${registry.current.join(', ')} and upgrades ${registry.known().join(', ')}; a newer file needs a newer sop`,
      },
    ]);
  }
  if (steps.length === 0) return { from: apiVersion, to: target, steps, text };
  const document = parseDocument(text, { uniqueKeys: true });
  for (const step of steps) {
    step.migrate(document);
    document.set('apiVersion', step.to);
  }
  return { from: apiVersion, to: target, steps, text: document.toString({ lineWidth: 0 }) };
}
