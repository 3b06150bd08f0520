import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODELINE = /^# yaml-language-server: \$schema=(\S+)$/m;

/** The schema file of each format, by the `apiVersion` a document of it says (the configuration has none). */
const SCHEMA_OF: Record<string, string> = {
  'sop/v1': 'sop.v1.schema.json',
  'sop-test/v1': 'sop-test.v1.schema.json',
  'sop-eval/v1': 'sop-eval.v1.schema.json',
  'sop-script/v1': 'script.v1.schema.json',
  config: 'config.v1.schema.json',
};

/**
 * What the YAML language server does with a modeline: loads the schema file it names, and any schema
 * file that one `$ref`s from beside it (the shipped schemas folder); the validator of that file.
 */
function editorValidator(schemaFile: string) {
  const ajv = new Ajv2020Module.default({ strict: false, allErrors: true });
  addFormatsModule.default(ajv);
  const dir = path.dirname(schemaFile);
  for (const sibling of readdirSync(dir).filter((name) => name.endsWith('.schema.json') && path.join(dir, name) !== schemaFile)) {
    ajv.addSchema(JSON.parse(readFileSync(path.join(dir, sibling), 'utf8')) as object);
  }
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
}

/** A document's format: its `apiVersion`, or `config` for the configuration file. */
function formatOf(document: unknown, text: string): string {
  const apiVersion = (document as { apiVersion?: unknown } | null)?.apiVersion;
  if (typeof apiVersion === 'string') return apiVersion;
  return /^# (sop\.config\.ya?ml|\.soprc\.ya?ml)$/m.test(text) ? 'config' : 'unknown';
}

/** The fenced YAML examples of the README and docs/ with a modeline. */
function docExamples(): Array<{ where: string; text: string }> {
  return ['README.md', ...readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)].flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => ({ where: file, text: match[1] as string })).filter(({ text }) => MODELINE.test(text)),
  );
}

/** sops/ and examples/ files with a modeline (the broken fixtures of test/ are invalid on purpose). */
function repoFilesWithModeline(): string[] {
  return ['sops', 'examples'].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => path.join(dir, name))
      .filter((file) => MODELINE.test(readFileSync(path.join(root, file), 'utf8'))),
  );
}

describe('editor modelines (`# yaml-language-server: $schema=...`)', () => {
  const examples = docExamples();

  it('the docs give one for each format a user writes', () => {
    const formats = examples.map(({ text }) => formatOf(parse(text), text));
    expect(new Set(formats)).toEqual(new Set(Object.keys(SCHEMA_OF)));
  });

  it.each(examples.map((example) => [`${example.where}: ${example.text.split('\n')[0] as string}`, example] as const))('%s names the schema of its example\'s format, installed with sop-runner, which accepts the example', (_name, { text }) => {
    const document = parse(text) as unknown;
    const schema = SCHEMA_OF[formatOf(document, text)];
    const ref = MODELINE.exec(text)?.[1] as string;
    expect(schema).toBeDefined();
    // The line to copy comes first, where the docs say it goes.
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${ref}`);
    // A file at the project's root, or (docs/testing.md) one in this repository's sops/.
    expect([`./node_modules/sop-runner/schemas/${schema}`, `../schemas/${schema}`]).toContain(ref);
    const validate = editorValidator(path.join(root, 'schemas', schema as string));
    // Examples that elide a part (`[ ... ]`) show the shape only.
    if (!text.includes('...')) expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(repoFilesWithModeline())('%s: the schema its modeline names exists and accepts it', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const target = path.resolve(root, path.dirname(file), MODELINE.exec(text)?.[1] as string);
    expect(existsSync(target), target).toBe(true);
    const document = parse(text) as unknown;
    expect(path.basename(target)).toBe(SCHEMA_OF[formatOf(document, text)]);
    const validate = editorValidator(target);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });
});
