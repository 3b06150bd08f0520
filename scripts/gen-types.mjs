// Generates TypeScript types from the JSON Schemas that have them:
// - src/spec/sop.types.generated.ts from schemas/sop.v1.schema.json;
// - src/providers/script/script.types.generated.ts from schemas/script.v1.schema.json;
// - src/testing/sop-test.types.generated.ts from schemas/sop-test.v1.schema.json (its answers are
//   the script schema's, by `$ref`).
// `node scripts/gen-types.mjs --check` exits 1 when a committed file is stale (used by a test).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

/** [schema, generated file, name of the root type] */
const TARGETS = [
  ['schemas/sop.v1.schema.json', 'src/spec/sop.types.generated.ts', 'Sop'],
  ['schemas/script.v1.schema.json', 'src/providers/script/script.types.generated.ts', 'Script'],
  ['schemas/sop-test.v1.schema.json', 'src/testing/sop-test.types.generated.ts', 'SopTestFile'],
];

export async function generateTypes(schemaFile = TARGETS[0][0]) {
  const [, , name] = TARGETS.find(([file]) => file === schemaFile);
  const schema = JSON.parse(await readFile(`${root}${schemaFile}`, 'utf8'));
  return compile(schema, name, {
    // A `$ref` to another schema file (`script.v1.schema.json#/$defs/Answers`) is read beside it.
    cwd: `${root}schemas`,
    bannerComment: `/* Generated from ${schemaFile} by \`npm run gen:types\`. Do not edit. */`,
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { singleQuote: true, printWidth: 110 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [schemaFile, outFile] of TARGETS) {
    const generated = await generateTypes(schemaFile);
    if (process.argv.includes('--check')) {
      const current = await readFile(`${root}${outFile}`, 'utf8').catch(() => '');
      if (current !== generated) {
        console.error(`${outFile} is stale: run \`npm run gen:types\``);
        process.exit(1);
      }
    } else {
      await writeFile(`${root}${outFile}`, generated);
    }
  }
}
