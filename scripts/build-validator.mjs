// Generates src/spec/sop-schema.validator.generated.ts: the SOP schema's validator as standalone code
// (ajv/dist/standalone), so `sop` does not load ajv and compile the schema (~150 ms) on every start.
// Run by `npm run build` before tsc; writes only when the content changed.
// `node scripts/build-validator.mjs --check` exits 1 when the committed file is stale (used by a test).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaPath = `${root}schemas/sop.v1.schema.json`;
const outPath = `${root}src/spec/sop-schema.validator.generated.ts`;

/**
 * The options must stay those the error mapper (src/spec/schema-errors.ts) relies on: every error
 * (`allErrors`), with its schema and data (`verbose`).
 */
export async function generateValidator() {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
  const ajv = new Ajv2020Module.default({ allErrors: true, strict: false, verbose: true, code: { source: true, esm: true, lines: true } });
  addFormatsModule.default(ajv);
  const code = standaloneModule.default(ajv, ajv.compile(schema));
  return [
    '/* Generated from schemas/sop.v1.schema.json by scripts/build-validator.mjs (`npm run build`). Do not edit. */',
    '// @ts-nocheck: ajv-generated JavaScript; src/spec/schema-validator.ts gives it its type.',
    '/* eslint-disable */',
    // ajv's standalone code `require`s its small runtime helpers even in ESM output.
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    code.replace(/^"use strict";/, ''),
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const generated = await generateValidator();
  const current = await readFile(outPath, 'utf8').catch(() => '');
  if (process.argv.includes('--check')) {
    if (current !== generated) {
      console.error('src/spec/sop-schema.validator.generated.ts is stale: run `npm run build`');
      process.exit(1);
    }
  } else if (current !== generated) {
    await writeFile(outPath, generated);
  }
}
