// Generates src/spec/sop.types.generated.ts from schemas/sop.v1.schema.json.
// `node scripts/gen-types.mjs --check` exits 1 when the committed file is stale (used by a test).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const schemaPath = `${root}schemas/sop.v1.schema.json`;
const outPath = `${root}src/spec/sop.types.generated.ts`;

export async function generateTypes() {
  const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
  return compile(schema, 'Sop', {
    bannerComment: '/* Generated from schemas/sop.v1.schema.json by `npm run gen:types`. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: true, printWidth: 110 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const generated = await generateTypes();
  if (process.argv.includes('--check')) {
    const current = await readFile(outPath, 'utf8').catch(() => '');
    if (current !== generated) {
      console.error('src/spec/sop.types.generated.ts is stale: run `npm run gen:types`');
      process.exit(1);
    }
  } else {
    await writeFile(outPath, generated);
  }
}
