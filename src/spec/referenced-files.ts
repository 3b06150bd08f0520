import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { LIMITS, sizeAbove } from './limits.js';
import { readTemplate } from './resolve-action.js';
import type { ResolvedSop, TemplateText } from './resolved.js';

/**
 * The sha256 of every file an SOP's meaning depends on besides itself, by absolute path: the files
 * the loader read (prompt and template files, `$ref` schemas) and the partials its templates pull
 * in. What `sop lock` pins, and what a run records so that `sop resume` notices a changed prompt.
 */
export function referencedFileDigests(sop: ResolvedSop, partials = findPartialFiles(sop)): Record<string, string> {
  const digests: Record<string, string> = { ...sop.referencedFiles };
  for (const absolute of partials) digests[absolute] = fileSha256(absolute);
  return digests;
}

/**
 * `referencedFileDigests` keyed by path relative to the SOP's folder (`prompts/c.liquid`, with `/`
 * on every platform): what a run records in its snapshots' `sop.files`, the same wherever the run
 * folder or the working folder is.
 */
export function sopFileDigests(sop: ResolvedSop): Readonly<Record<string, string>> {
  const known = LOADED_FILE_DIGESTS.get(sop);
  if (known) return known;
  const partials = findPartialFiles(sop);
  const absolute = referencedFileDigests(sop, partials);
  const digests: Record<string, string> = {};
  const entries = Object.entries(absolute).map(([file, sha256]) => [path.relative(sop.dir, file).split(path.sep).join('/'), sha256] as const);
  for (const [relative, sha256] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) digests[relative] = sha256;
  // Without partials every digest is the loader's, fixed with the loaded SOP: a process running it
  // again (an eval, a worker) reuses them. Partials are read by the engines at render time: hashed per run.
  if (partials.length === 0) LOADED_FILE_DIGESTS.set(sop, Object.freeze(digests));
  return digests;
}

const LOADED_FILE_DIGESTS = new WeakMap<ResolvedSop, Readonly<Record<string, string>>>();

/**
 * Partial files the SOP's templates pull in at render time (Liquid `{% include 'x' %}` /
 * `{% render 'x' %}`, Handlebars `{{> x}}`), found the way the engines look them up, including
 * partials used by partials. The loader's `referencedFiles` does not list them (the engines read
 * them lazily), yet a changed partial changes every prompt that uses it, so a lock must pin them.
 * Returns absolute paths of the files that exist, sorted; names computed at render time are skipped.
 */
export function findPartialFiles(sop: ResolvedSop): string[] {
  const engine = sop.settings.templates;
  const found = new Set<string>();
  // Prompt and artifact template files are in here already: the loader inlines their text.
  const pending = templatesOf(sop).map((template) => template.text);
  while (pending.length > 0) {
    const text = pending.pop() as string;
    for (const name of partialNames(text, engine)) {
      const file = locate(sop.dir, name, engine);
      if (file === undefined || found.has(file)) continue;
      found.add(file);
      pending.push(partialText(file) ?? '');
    }
  }
  return [...found].sort();
}

const LIQUID_PARTIAL = /\{%-?\s*(?:include|render|layout)\s+(?:'([^']+)'|"([^"]+)")/g;
const HANDLEBARS_PARTIAL = /\{\{~?#?>\s*(?:"([^"]+)"|'([^']+)'|([^\s}()~"']+))/g;

/** Literal partial names a template uses. */
export function partialNames(text: string, engine: 'liquid' | 'handlebars'): string[] {
  const pattern = engine === 'liquid' ? LIQUID_PARTIAL : HANDLEBARS_PARTIAL;
  return [...text.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3]) as string);
}

/** Where the engine reads partial `name` from (see src/templates/), when that file exists inside the SOP's folder. */
function locate(root: string, name: string, engine: 'liquid' | 'handlebars'): string | undefined {
  const candidates =
    engine === 'liquid'
      ? [path.resolve(root, path.extname(name) ? name : `${name}.liquid`)]
      : [`${name}.hbs`, path.join('partials', `${name}.hbs`)].map((file) => path.resolve(root, file));
  return candidates.find((file) => file.startsWith(root + path.sep) && existsSync(file));
}

/** A partial's text; undefined when it cannot be read whole (validation reports that elsewhere). */
export function partialText(file: string): string | undefined {
  // Validation refuses a partial above the bound; one that grew since is not read whole.
  if (sizeAbove(file, LIMITS.referencedFileBytes) !== undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Every template of the SOP: prompts, reads, commands, artifacts, gate commands, start messages. */
function templatesOf(sop: ResolvedSop): TemplateText[] {
  const templates: TemplateText[] = [];
  for (const start of sop.start) {
    if (start.content) templates.push(start.content);
    for (const leaf of start.payloadTemplates) templates.push(leaf.template);
  }
  for (const role of sop.roles) {
    for (const action of role.actions) {
      if (action.prompt) templates.push(action.prompt);
      templates.push(...action.reads.flatMap((read) => readTemplate(read) ?? []));
      if (action.precondition?.command) templates.push(...action.precondition.command.command, ...Object.values(action.precondition.command.env));
      if (action.run) templates.push(...action.run.command, ...Object.values(action.run.env));
      for (const artifact of action.artifacts) templates.push(artifact.path, artifact.content);
      for (const gate of action.gates) if (gate.command) templates.push(...gate.command.command, ...Object.values(gate.command.env));
    }
  }
  return templates;
}

/** Hashed a chunk at a time: a referenced file that grew to gigabytes since validation costs no memory. */
export function fileSha256(file: string): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1024 * 1024);
  const descriptor = openSync(file, 'r');
  try {
    for (let read = readSync(descriptor, chunk); read > 0; read = readSync(descriptor, chunk)) hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(descriptor);
  }
  return hash.digest('hex');
}
