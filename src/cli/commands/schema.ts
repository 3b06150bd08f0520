import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { Args } from '@oclif/core';
import { SopCommand } from '../base-command.js';
import { SOP_SCHEMA_PATH } from '../package-root.js';

export default class Schema extends SopCommand<object> {
  static override summary = 'Print the JSON Schema of the SOP format (sop/v1), or of the test file format (sop-test/v1).';
  static override description = `Point an editor at it for completion and checks with the first line of an SOP file, a path relative to that file (works offline):

# yaml-language-server: $schema=./node_modules/sop-runner/schemas/sop.v1.schema.json

\`sop schema test\` prints the test file format's (sop-test/v1) as \`sop init\` copies it beside sop.test.yaml: one file, the scripted answers' definitions taken in. Refresh the copies \`sop init\` wrote after upgrading sop with the examples below.`;
  static override examples = ['<%= config.bin %> schema > sop.v1.schema.json', '<%= config.bin %> schema test > sop-test.v1.schema.json'];
  static override args = {
    format: Args.string({ description: 'Which format: sop (the default) or test (sop-test/v1 files, for sop test).', options: ['sop', 'test'], default: 'sop' }),
  };

  /** With `--json`, the schema is the envelope's result. */
  async run(): Promise<object> {
    const { args } = await this.parse(Schema);
    const text = args.format === 'test' ? await testSchemaText() : await readFile(SOP_SCHEMA_PATH, 'utf8');
    this.out(text);
    return JSON.parse(text) as object;
  }
}

/** The test format's schema as `sop init` copies it (self-contained). */
async function testSchemaText(): Promise<string> {
  const { standaloneTestSchema } = await import('../init/scaffold.js');
  return await standaloneTestSchema(path.dirname(SOP_SCHEMA_PATH));
}
