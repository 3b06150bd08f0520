// Generates, as standalone code (ajv/dist/standalone), so `sop` does not compile them on every start:
// - src/spec/sop-schema.validator.generated.ts: the SOP schema's validator (~150 ms with loading ajv);
// - src/spec/meta-schemas.validator.generated.ts: the JSON Schema meta-schemas' validators (draft-07,
//   2019-09, 2020-12), which check the schemas an SOP writes and a server serves (~80 ms each);
// - src/testing/test-file.validator.generated.ts: the `sop test` file schema's (its answers are the
//   script schema's `$defs/Answers`), which `sop test` compiled before its first case (~150-200 ms).
// Run by `npm run build` before tsc; writes only when the content changed.
// `node scripts/build-validator.mjs --check` exits 1 when a committed file is stale (used by a test).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import AjvDraft07Module from 'ajv';
import Ajv2019Module from 'ajv/dist/2019.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const outPath = `${root}src/spec/sop-schema.validator.generated.ts`;
const metaOutPath = `${root}src/spec/meta-schemas.validator.generated.ts`;
const testOutPath = `${root}src/testing/test-file.validator.generated.ts`;

/**
 * The options must stay those the error mapper (src/spec/schema-errors.ts) relies on: every error
 * (`allErrors`), with its schema and data (`verbose`).
 */
export async function generateValidator() {
  return standaloneValidator('schemas/sop.v1.schema.json', [], 'src/spec/schema-validator.ts');
}

/** The `sop test` file schema's validator (its answers `$ref` the script schema). */
export async function generateTestFileValidator() {
  return standaloneValidator('schemas/sop-test.v1.schema.json', ['schemas/script.v1.schema.json'], 'src/testing/test-file.ts');
}

/** ajv's standalone ESM code for one schema (`referenced`: schemas it `$ref`s), headed as generated. */
async function standaloneValidator(schemaFile, referenced, typedBy) {
  const schema = JSON.parse(await readFile(`${root}${schemaFile}`, 'utf8'));
  const ajv = new Ajv2020Module.default({ allErrors: true, strict: false, verbose: true, code: { source: true, esm: true, lines: true } });
  addFormatsModule.default(ajv);
  for (const file of referenced) ajv.addSchema(JSON.parse(await readFile(`${root}${file}`, 'utf8')));
  const code = standaloneModule.default(ajv, ajv.compile(schema));
  return [
    `/* Generated from ${schemaFile} by scripts/build-validator.mjs (\`npm run build\`). Do not edit. */`,
    `// @ts-nocheck: ajv-generated JavaScript; ${typedBy} gives it its type.`,
    '/* eslint-disable */',
    // ajv's standalone code `require`s its small runtime helpers even in ESM output.
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
}

/** Each dialect's meta-schema, by the dialect names of src/spec/json-schemas.ts. */
const META_SCHEMAS = [
  ['draft-07', AjvDraft07Module.default, 'http://json-schema.org/draft-07/schema'],
  ['2019-09', Ajv2019Module.default, 'https://json-schema.org/draft/2019-09/schema'],
  ['2020-12', Ajv2020Module.default, 'https://json-schema.org/draft/2020-12/schema'],
];

/**
 * The meta-schema validators, each in a function of its own (built on first call: V8 only pre-parses
 * the others). The options are those of src/spec/json-schemas.ts's instances, whose `validateSchema`
 * they replace: every error, with its schema and data.
 */
export function generateMetaValidators() {
  const parts = META_SCHEMAS.map(([dialect, Ajv, id]) => {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { source: true, lines: true } });
    addFormatsModule.default(ajv);
    const code = standaloneModule.default(ajv, ajv.getSchema(id)).replace(/^"use strict";/, '');
    return `  '${dialect}': () => {\n    const module = { exports: {} };\n${code}\n    return module.exports;\n  },`;
  });
  return [
    '/* Generated from ajv\'s meta-schemas by scripts/build-validator.mjs (`npm run build`). Do not edit. */',
    '// @ts-nocheck: ajv-generated JavaScript; src/spec/json-schemas.ts gives it its type.',
    '/* eslint-disable */',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    '',
    'export const metaSchemaValidators = {',
    ...parts,
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, generated] of [[outPath, await generateValidator()], [metaOutPath, generateMetaValidators()], [testOutPath, await generateTestFileValidator()]]) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (process.argv.includes('--check')) {
      if (current !== generated) {
        console.error(`${file.slice(root.length)} is stale: run \`npm run build\``);
        process.exit(1);
      }
    } else if (current !== generated) {
      await writeFile(file, generated);
    }
  }
}
