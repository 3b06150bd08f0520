import path from 'node:path';
import { Args } from '@oclif/core';
import { SopCommand } from '../base-command.js';
import { SOP_SCHEMA_PATH } from '../package-root.js';
import { standaloneSchema } from '../standalone-schema.js';

/** Each format a user writes, by the name `sop schema` takes: its schema file in schemas/ and what it is. */
const FORMATS = {
  sop: { file: 'sop.v1.schema.json', what: 'SOP files (sop/v1)' },
  test: { file: 'sop-test.v1.schema.json', what: 'test files (sop-test/v1, for sop test)' },
  eval: { file: 'sop-eval.v1.schema.json', what: 'eval datasets (sop-eval/v1, for sop eval --dataset)' },
  script: { file: 'script.v1.schema.json', what: 'scripts (sop-script/v1, for --model script:FILE)' },
  config: { file: 'config.v1.schema.json', what: 'the configuration file (sop.config.yaml, .soprc.yaml, ...)' },
} as const;

type Format = keyof typeof FORMATS;

export default class Schema extends SopCommand<object> {
  static override summary = 'Print the JSON Schema of a format you write: SOP files (the default), test files, eval datasets, scripts or the configuration file.';
  static override description = `Point an editor at it for completion and checks with the first line of the file, a path relative to that file (works offline). From a file at the root of a project that installed sop-runner, one line per format (sop, test, eval, script, config):

${Object.values(FORMATS).map((format) => `# yaml-language-server: $schema=./node_modules/sop-runner/schemas/${format.file}`).join('\n')}

In sop.config.json, the same path as its "$schema" key. Each prints as one file that works alone: the definitions one format takes from another (a test file's scripted answers, a dataset's expect) are taken in, so a copy works without the files beside it. \`sop init\` copies the sop and test ones beside the files it creates when no installed sop-runner is in reach; refresh such copies after upgrading sop with the examples below.`;
  static override examples = [
    '<%= config.bin %> schema > sop.v1.schema.json',
    '<%= config.bin %> schema test > sop-test.v1.schema.json',
    '<%= config.bin %> schema eval > sop-eval.v1.schema.json',
    '<%= config.bin %> schema script > script.v1.schema.json',
    '<%= config.bin %> schema config > config.v1.schema.json',
  ];
  static override args = {
    format: Args.string({
      description: `Which format: ${Object.entries(FORMATS).map(([name, format]) => `${name}, ${format.what}`).join('; ')}.`,
      options: Object.keys(FORMATS),
      default: 'sop',
    }),
  };

  /** With `--json`, the schema is the envelope's result. */
  async run(): Promise<object> {
    const { args } = await this.parse(Schema);
    const text = await standaloneSchema(path.dirname(SOP_SCHEMA_PATH), FORMATS[args.format as Format].file);
    this.out(text);
    return JSON.parse(text) as object;
  }
}
