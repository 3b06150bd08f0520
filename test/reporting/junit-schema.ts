import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { repoRoot } from '../cli/run-cli.js';

/** The JUnit schema with Surefire's rerun elements (Jenkins's reading of the format). */
const SCHEMA = path.join(repoRoot, 'test', 'fixtures', 'junit', 'surefire-junit.xsd');

/**
 * Validates JUnit XML against the schema with libxml2's own XSD validator (xmllint, compiled to
 * WebAssembly, so no system package is needed). Resolves to the validator's errors, `[]` when valid.
 */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'surefire-junit.xsd', contents: readFileSync(SCHEMA, 'utf8') }],
  });
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}
