import { readFile } from 'node:fs/promises';
import { SopCommand } from '../base-command.js';
import { SOP_SCHEMA_PATH } from '../package-root.js';

export default class Schema extends SopCommand<object> {
  static override summary = 'Print the JSON Schema of the SOP format (sop/v1).';
  static override description = `Point an editor at it for completion and checks with the first line of an SOP file, a path relative to that file (works offline):

# yaml-language-server: $schema=./node_modules/sop-runner/schemas/sop.v1.schema.json`;
  static override examples = ['<%= config.bin %> schema > sop.v1.schema.json'];

  /** With `--json`, the schema is the envelope's result. */
  async run(): Promise<object> {
    await this.parse(Schema);
    const text = await readFile(SOP_SCHEMA_PATH, 'utf8');
    this.out(text);
    return JSON.parse(text) as object;
  }
}
